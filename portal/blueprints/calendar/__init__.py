"""The company calendar: public holidays, make-up working days (调休), company days off and
site closures. Every module asks it whether a day is worked (queries.py); the office keeps it
(routes.py), filling each year from China's official schedule (services.fill_year)."""
