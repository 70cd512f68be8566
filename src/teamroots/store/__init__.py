"""The only package that touches SQLAlchemy: engine, tables, repositories, migrations."""
