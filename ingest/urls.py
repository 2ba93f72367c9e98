from django.urls import path

from ingest.views import imports

app_name = "ingest"

urlpatterns = [
    path("", imports.import_page, name="import"),
    path("<int:job_id>/", imports.import_job, name="import_job"),
    path("<int:job_id>/progress/", imports.import_job_progress, name="import_job_progress"),
]
