"""Our own import-linter contract: an app imports only the public modules of another.

Each app's public face is a few modules: its ``models``, ``services`` (writes),
``selectors`` (reads) and, where it offers them, ``extensions`` (hooks the apps above
register) and ``signals`` (what it announces). Everything else (views, forms, api, tasks,
engines and pure computation modules) is that app's own business. The shared base
(``core``) is public throughout, and the project shell (``csplatform``) wires every
app's URLs and API, so its imports are not checked. ``make lint`` runs it with the
layers contract (see ``[tool.importlinter]`` in pyproject.toml).
"""

from __future__ import annotations

from importlinter import Contract, ContractCheck, fields, output


class PublicModulesContract(Contract):
    type_name = "public_modules"

    apps = fields.ListField(subfield=fields.StringField())
    public = fields.ListField(subfield=fields.StringField())
    unchecked_importers = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph, verbose: bool) -> ContractCheck:
        apps = set(self.apps)  # type: ignore[arg-type]
        public = set(self.public)  # type: ignore[arg-type]
        unchecked = set(self.unchecked_importers or ())  # type: ignore[arg-type]
        illegal = []
        for importer in sorted(graph.modules):
            source = importer.split(".")[0]
            if source not in apps | unchecked or source in unchecked:
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                parts = imported.split(".")
                if parts[0] == source or parts[0] not in apps:
                    continue
                if len(parts) == 1 or parts[1] not in public:
                    lines = [
                        detail["line_number"]
                        for detail in graph.get_import_details(importer=importer, imported=imported)
                    ]
                    illegal.append((importer, imported, lines))
        return ContractCheck(kept=not illegal, metadata={"illegal": illegal})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, imported, lines in check.metadata["illegal"]:
            output.print_error(
                f"{importer} imports {imported} (l. {', '.join(map(str, lines))}): "
                "not a public module of that app.",
                bold=False,
            )
            output.new_line()
