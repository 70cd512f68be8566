"""The administrator's pages: import a file (a dry run first, every problem by row and column)
and manage accounts. A large upload is imported in the background (services.jobs)."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse

from teamroots import services
from teamroots.census.fields import KINDS
from teamroots.domain.choices import AccessRole
from teamroots.domain.rows import Viewer
from teamroots.errors import TeamrootsError, UnsafeFile
from teamroots.i18n import localized
from teamroots.services import Database
from teamroots.web import deps
from teamroots.web.render import render

router = APIRouter()
_SAFE_NAME = re.compile(r"[^\w.\-]+")


@router.get("/import", include_in_schema=False)
def import_form(
    request: Request,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    services.access.require_admin(db, viewer, "import_page")
    return render(request, deps.language(request), "import.html.j2", kinds=list(KINDS), result=None)


def _save(upload: UploadFile, folder: Path, limit: int) -> Path:
    """The upload on disk under its own (cleaned) name, refused past the size limit while
    it streams in."""
    name = _SAFE_NAME.sub("_", Path(upload.filename or "upload").name)[:100].lstrip(".")
    if not name or name == Path(name).suffix:  # nothing left, or only a suffix: ".csv", ".."
        name = "upload" + Path(upload.filename or "").suffix.lower()[:8]
    path = folder / name
    written = 0
    with path.open("wb") as out:
        while block := upload.file.read(1 << 20):
            written += len(block)
            if written > limit:
                raise UnsafeFile(
                    "{file} is over the limit of {limit} bytes (setting TEAMROOTS_MAX_FILE_BYTES).",
                    file=name,
                    limit=limit,
                )
            out.write(block)
    return path


@router.post("/import", include_in_schema=False)
def import_file(
    request: Request,
    kind: str = Form(...),
    dry_run: bool = Form(False),
    file: UploadFile = File(...),
    mapping: UploadFile | None = File(None),
    session=Depends(deps.checked_form),
    db: Database = Depends(deps.database),
):
    lang = deps.language(request)
    viewer = session.viewer
    services.access.require_admin(db, viewer, "import")
    folder = Path(tempfile.mkdtemp(prefix="teamroots-upload-"))
    name = file.filename or "upload"
    try:
        path = _save(file, folder, db.settings.max_file_bytes)
        name = path.name
        mapping_path = None
        if mapping is not None and mapping.filename:
            mapping_path = _save(mapping, folder, 1 << 20)
        if path.stat().st_size > db.settings.background_import_bytes:  # the folder goes with it
            job_id = services.jobs.start_import(
                db, viewer, kind, folder, path, mapping_path, dry_run
            )
            return RedirectResponse(f"/jobs/{job_id}", status_code=303)
        report = services.work.run_import(db, viewer, kind, path, mapping_path, dry_run)
    except TeamrootsError as exc:  # the upload itself was refused (too large)
        report = services.work.import_report(kind, dry_run, name, exc=exc)
    shutil.rmtree(folder, ignore_errors=True)
    with deps.speaking(lang):
        result = localized(report)
    status = 422 if result["error"] else 200
    return render(request, lang, "import.html.j2", status=status, kinds=list(KINDS), result=result)


@router.get("/users", include_in_schema=False)
def users(
    request: Request,
    viewer: Viewer = Depends(deps.viewer),
    db: Database = Depends(deps.database),
):
    services.access.require_admin(db, viewer, "users_page")
    return render(
        request,
        deps.language(request),
        "users.html.j2",
        users=services.users.list_users(db),
        roles=[r.value for r in AccessRole],
        log=services.users.audit_log(db, 50),
        error=request.query_params.get("error"),
    )


@router.post("/users", include_in_schema=False)
def add_user(
    request: Request,
    name: str = Form(...),
    role: str = Form(...),
    tie: str = Form(""),
    email: str = Form(""),
    password: str = Form(...),
    session=Depends(deps.checked_form),
    db: Database = Depends(deps.database),
):
    viewer = session.viewer
    services.access.require_admin(db, viewer, "add_user")
    try:
        chosen = AccessRole(role)
    except ValueError:
        chosen = None
    tie = tie.strip() or None
    options = {
        AccessRole.UNIT_HEAD: {"unit": tie},
        AccessRole.TEAM_LEADER: {"team": tie},
        AccessRole.CADRE: {"person": tie},
        AccessRole.MEMBER: {"person": tie},
    }.get(chosen, {})
    lang = deps.language(request)
    try:
        if chosen is None:
            from teamroots.errors import InvalidRequest

            raise InvalidRequest(
                "Unknown role '{role}'; use one of: {roles}.",
                role=role,
                roles=", ".join(r.value for r in AccessRole),
            )
        services.users.add_user(db, name, password, chosen, by=viewer.name, email=email, **options)
    except TeamrootsError as exc:
        return render(
            request,
            lang,
            "users.html.j2",
            status=422,
            users=services.users.list_users(db),
            roles=[r.value for r in AccessRole],
            log=services.users.audit_log(db, 50),
            error=deps.translated(exc, lang),
        )
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{name}/disable", include_in_schema=False)
def disable_user(
    name: str,
    enable: bool = Form(False),
    session=Depends(deps.checked_form),
    db: Database = Depends(deps.database),
):
    services.access.require_admin(db, session.viewer, "disable_user")
    services.users.set_disabled(db, name, not enable, by=session.viewer.name)
    return RedirectResponse("/users", status_code=303)
