"""The mapping file (TOML): how a plant's columns and values map to teamroots' fields.

    kind = "records"                      # optional; checked against the import kind
    [file]       encoding, delimiter, sheet, header_row,
                 duplicates = "error" | "last" | "sum" | "mean"   rows sharing a key
    [columns]    field = "Their Column"   or a key built from columns: "{Dept}-{Team No}"
    [constants]  field = "value"          the same value for every row
    [values."Their Column"]  "their word" = "our word"     value aliases, per source column
    [dates]      formats = ["%m/%d/%Y"]   tried before the built-in unambiguous formats
    [create]     teams = true, units = true, parent_unit = "P"

See docs/mapping.md for a worked example.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from teamroots.census.fields import KINDS
from teamroots.census.parse import norm_word
from teamroots.errors import ConfigError

_SECTIONS = {"kind", "file", "columns", "constants", "values", "dates", "create"}
_FILE_KEYS = {"encoding", "delimiter", "sheet", "header_row", "duplicates", "allow_far_dates"}
DUPLICATES = ("error", "last", "sum", "mean")
_CREATE_KEYS = {"teams", "units", "parent_unit"}


@dataclass
class Mapping:
    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # norm column → norm → new
    date_formats: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int = 1
    duplicates: str = "error"
    allow_far_dates: bool = False  # records dated years away from the rest of the file
    create_teams: bool = False
    create_units: bool = False
    parent_unit: str | None = None
    source: str = ""


def load_mapping(path: str | Path, kind: str) -> Mapping:
    """Read and check a mapping file; every mistake is a ConfigError naming the file and key."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError("Mapping file {file} does not exist.", file=str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(
            "Mapping file {file} is not valid TOML: {error}", file=str(path), error=str(exc)
        ) from None
    return mapping_from_dict(data, kind, str(path))


def mapping_from_dict(data: dict, kind: str, source: str = "mapping") -> Mapping:
    _only(data, _SECTIONS, source, "")
    if "kind" in data and data["kind"] != kind:
        raise ConfigError(
            "Mapping file {file} is for '{mapped}' but this import is of '{kind}'.",
            file=source,
            mapped=data["kind"],
            kind=kind,
        )
    fields = {f.name for f in KINDS[kind].fields}
    files = _table(data, "file", source)
    _only(files, _FILE_KEYS, source, "file.")
    create = _table(data, "create", source)
    _only(create, _CREATE_KEYS, source, "create.")
    columns = _strings(_table(data, "columns", source), source, "columns")
    constants = _strings(_table(data, "constants", source), source, "constants")
    for section, names in (("columns", columns), ("constants", constants)):
        for name in names:
            if name not in fields:
                raise ConfigError(
                    "Mapping file {file}: [{section}] names '{name}', which is not a field of "
                    "{kind}; the fields are: {fields}.",
                    file=source,
                    section=section,
                    name=name,
                    kind=kind,
                    fields=", ".join(sorted(fields)),
                )
    values = {
        norm_word(col): {
            norm_word(k): v
            for k, v in _strings(
                _table(_table(data, "values", source), col, source, "values."),
                source,
                f"values.{col}",
            ).items()
        }
        for col in _table(data, "values", source)
    }
    _check_file_keys(files, create, columns, source)
    formats = _table(data, "dates", source).get("formats", [])
    if not isinstance(formats, list) or not all(isinstance(f, str) for f in formats):
        raise ConfigError(
            'Mapping file {file}: dates.formats must be a list of strings such as ["%d/%m/%Y"].',
            file=source,
        )
    header_row = files.get("header_row", 1)
    if not isinstance(header_row, int) or header_row < 1:
        raise ConfigError(
            "Mapping file {file}: file.header_row must be a whole number ≥ 1.", file=source
        )
    duplicates = files.get("duplicates", "error")
    if duplicates not in DUPLICATES:
        raise ConfigError(
            "Mapping file {file}: file.duplicates is '{value}'; use one of: {allowed}.",
            file=source,
            value=duplicates,
            allowed=", ".join(DUPLICATES),
        )
    return Mapping(
        duplicates=duplicates,
        columns=columns,
        constants=constants,
        values=values,
        date_formats=formats,
        encoding=files.get("encoding"),
        delimiter=files.get("delimiter"),
        sheet=files.get("sheet"),
        header_row=header_row,
        allow_far_dates=bool(files.get("allow_far_dates", False)),
        create_teams=bool(create.get("teams", False)),
        create_units=bool(create.get("units", False)),
        parent_unit=create.get("parent_unit"),
        source=source,
    )


def _table(data: dict, name: str, source: str, prefix: str = "") -> dict:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(
            "Mapping file {file}: [{section}] must be a table.", file=source, section=prefix + name
        )
    return value


def _check_file_keys(files: dict, create: dict, columns: dict, source: str) -> None:
    """Types the TOML grammar allows but a mapping does not."""
    checks = [
        (f"file.{k}", files[k], isinstance(files[k], str))
        for k in ("encoding", "sheet")
        if k in files
    ]
    if "delimiter" in files:
        d = files["delimiter"]
        checks.append(("file.delimiter", d, isinstance(d, str) and len(d) == 1))
    checks += [
        (f"create.{k}", create[k], isinstance(create[k], bool))
        for k in ("teams", "units")
        if k in create
    ]
    if "parent_unit" in create:
        checks.append(
            ("create.parent_unit", create["parent_unit"], isinstance(create["parent_unit"], str))
        )
    for key, value, ok in checks:
        if not ok:
            raise ConfigError(
                "Mapping file {file}: {key} = {value!r} is not allowed here; see docs/mapping.md.",
                file=source,
                key=key,
                value=value,
            )


def _strings(table: dict, source: str, section: str) -> dict[str, str]:
    out = {}
    for key, value in table.items():
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ConfigError(
                "Mapping file {file}: {section}.{key} must be a text or number value.",
                file=source,
                section=section,
                key=key,
            )
        out[key] = str(value)
    return out


def _only(table: dict, allowed: set[str], source: str, prefix: str) -> None:
    for key in table:
        if key not in allowed:
            raise ConfigError(
                "Mapping file {file}: unknown key '{key}'; allowed here: {allowed}.",
                file=source,
                key=prefix + key,
                allowed=", ".join(sorted(allowed)),
            )
