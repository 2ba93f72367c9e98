/* plotly.js-locales 3.7.0, el (MIT License, Copyright (c) 2016-2024 Plotly Technologies Inc.),
   registered with plotly.js instead of exported as a CommonJS module. */
'use strict';

Plotly.register({
    moduleType: 'locale',
    name: 'el',
    dictionary: {},
    format: {
        days: ['Κυριακή', 'Δευτέρα', 'Τρίτη', 'Τετάρτη', 'Πέμπτη', 'Παρασκευή', 'Σάββατο'],
        shortDays: ['Κυρ', 'Δευ', 'Τρι', 'Τετ', 'Πεμ', 'Παρ', 'Σαβ'],
        months: [
            'Ιανουάριος', 'Φεβρουάριος', 'Μάρτιος', 'Απρίλιος', 'Μάιος', 'Ιούνιος',
            'Ιούλιος', 'Αύγουστος', 'Σεπτέμβριος', 'Οκτώβριος', 'Νοέμβριος', 'Δεκέμβριος'
        ],
        shortMonths: [
            'Ιαν', 'Φεβ', 'Μαρ', 'Απρ', 'Μαι', 'Ιουν',
            'Ιουλ', 'Αυγ', 'Σεπ', 'Οκτ', 'Νοε', 'Δεκ'
        ],
        date: '%d/%m/%Y'
    }
});
