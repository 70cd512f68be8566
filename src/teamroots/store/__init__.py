"""The only package that imports SQLAlchemy, and only ``services/`` imports it: the database
handle (``db``), tables, migrations, and one repository per area (``import_repo``,
``census_repo``, ``export_repo``, ``people_repo``, ``assess_repo``, ``review_repo``,
``plan_repo``). Repositories return named rows (``domain.rows``) with real dates."""
