"""Every Python example of the official client's README (the seed), run unchanged except
for the import line, against the fake server; and the ```python block of this
repository's README.md, run as a script exactly as printed.

The examples are kept here verbatim; a test checks against the seed that none was left
out. The seed lives in shared/seeds/ beside the checkout, as CI lays it out (../shared/ from
the project root); without it that test fails, naming the path it expected. The quick start hard-codes a tenant URL and a placeholder token: the
test redirects the constructor to the fake (the example's text is untouched).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
import time

import pytest

import cxreports
from conftest import ROOT, pdf_text, subprocess_env

# The official client's README, beside the checkout: <root>/../shared/seeds/.
SEED = ROOT.parent / "shared" / "seeds" / "000_21b2fc73de4d3c12.txt"
OFFICIAL_IMPORT = "from cxreports_api_client import CxReportClientV1"
OUR_IMPORT = "from cxreports import CxReportClientV1"

QUICK_START = '''
from cxreports_api_client import CxReportClientV1

client = CxReportClientV1(
    base_url="https://your-tenant.cx-reports.app",
    default_workspace_id=1,
    token="<your-personal-access-token>",
)

pdf = client.get_pdf(report_id=160)
with open("report.pdf", "wb") as f:
    f.write(pdf)
'''

WORKSPACES = '''
themes_in_default_ws = client.get_themes()
themes_in_other_ws   = client.get_themes(workspace_id=26)
'''

LISTS = '''
workspaces   = client.get_workspaces()       # all workspaces you have access to
report_types = client.get_report_types()     # report types in the default workspace
themes       = client.get_themes()           # themes available for rendering
templates    = client.get_templates()        # report templates available
'''

REPORTS = '''
# All reports in the workspace
reports = client.get_reports()

# Filtered by report type code
reports = client.get_reports(type="other")

# Page metadata (useful for excludePages-style operations later on)
pages = client.get_report_pages(report_id=160)
'''

GET_PDF = '''
# Basic
pdf = client.get_pdf(report_id=160)

# With a parameters dict
pdf = client.get_pdf(160, {
    "tempDataId": temp_data_id,
    "params": {"title": "First page title"},
    "timezone": "UTC",
})

# Override theme or template (by id or code)
pdf = client.get_pdf(160, theme="3", template="Default")
'''

POST_PDF = '''
pdf = client.post_pdf(160, {
    "data": {
        "invoiceNumber": "12345",
        "items": [{"description": "Widget", "quantity": 10}],
    },
    "params": {"title": "Q1 invoice"},
    "timezone": "UTC",
    "format": "pdf",
    "theme": "3",
    "template": "2",
})
'''

EXPORT = '''
import time

export = client.start_report_export(160, {
    "data": {"title": "Quarterly portfolio report"},
    "format": "pdf",
    "timezone": "UTC",
    "includeAttachments": False,
})
temp_file_id = export["temporaryFileId"]

while True:
    status = client.get_export_status(temp_file_id)
    if status.get("isReady"):
        break
    if status.get("status") == "Failed":
        raise RuntimeError(status.get("errorMessage"))
    time.sleep(2)

content = client.get_export_content(temp_file_id)
with open("report.pdf", "wb") as f:
    f.write(content)
'''

TEMP_DATA = '''
temp = client.push_temporary_data({
    "invoice": {"invoiceNumber": "12345", "items": [...]},
})
temp_data_id = temp["tempDataId"]

pdf = client.get_pdf(160, {"tempDataId": temp_data_id})
'''

PREVIEW = '''
url = client.get_preview_url(160)
url_with_data = client.get_preview_url(160, {"tempDataId": temp_data_id})
'''

AUTH_TOKEN = '''
token = client.create_auth_token()   # {'nonce': '...'}
'''

JOBS = '''
jobs = client.get_jobs()

# Start a new run
run = client.start_job_run(job_id=42, request_body={"params": {}, "data": {}})
run_id = run["jobRunId"]

# Poll until the run finishes
while True:
    status = client.get_job_run_status(job_id=42, run_id=run_id)
    if status.get("finished"):
        break
    time.sleep(3)

# If the job requires review, generate a consolidated review document.
# The returned temporaryFileId can be polled via get_export_status / downloaded via get_export_content.
review = client.get_run_review_document(job_id=42, run_id=run_id)

# After approval, deliver all entries.
client.deliver_job_run_entries(job_id=42, run_id=run_id)
'''

ERRORS = '''
try:
    pdf = client.get_pdf(999999)
except RuntimeError as e:
    # e.g. "HTTP error occurred: 404 Not Found ..."
    print(e)
'''

ALL = [QUICK_START, WORKSPACES, LISTS, REPORTS, GET_PDF, POST_PDF, EXPORT, TEMP_DATA, PREVIEW,
       AUTH_TOKEN, JOBS, ERRORS]


def run(example: str, namespace: dict) -> dict:
    code = textwrap.dedent(example).replace(OFFICIAL_IMPORT, OUR_IMPORT)
    assert "cxreports_api_client" not in code
    exec(compile(code, "<README example>", "exec"), namespace)
    return namespace


@pytest.fixture
def ns(client, fresh, tmp_path, monkeypatch):
    """The namespace the README's snippets share: a client, a temp_data_id, and `time`
    (the jobs snippet relies on the export snippet's `import time`)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(time, "sleep", lambda s: time.monotonic())  # polls, not waits, matter here
    temp_data_id = client.push_temporary_data({"title": "pushed by the test"})["tempDataId"]
    return {"client": client, "temp_data_id": temp_data_id, "time": time}


def test_seed_examples_are_all_here():
    if not SEED.is_file():
        pytest.fail(f"the official client's README is missing: expected at {SEED} (shared/seeds/ beside "
                    f"the checkout {ROOT}, as CI lays it out); without it nothing checks that every "
                    "example of it is covered here", pytrace=False)
    blocks = re.findall(r"```python\n(.*?)```", SEED.read_text(), re.S)
    assert blocks, f"no ```python block in {SEED}"
    assert len(blocks) == len(ALL)
    for block in blocks:
        assert textwrap.dedent(block).strip() in [e.strip() for e in ALL]


def test_quick_start(fresh, tmp_path, monkeypatch):
    real = cxreports.CxReportClientV1

    class Redirected(real):
        def __init__(self, base_url, default_workspace_id, token):
            assert (base_url, default_workspace_id) == ("https://your-tenant.cx-reports.app", 1)
            super().__init__(fresh.url, default_workspace_id, fresh.token)

    monkeypatch.setattr(cxreports, "CxReportClientV1", Redirected)
    monkeypatch.chdir(tmp_path)
    out = run(QUICK_START, {})
    assert (tmp_path / "report.pdf").read_bytes() == out["pdf"]
    assert out["pdf"].startswith(b"%PDF-")


def test_workspaces(ns):
    out = run(WORKSPACES, ns)
    assert out["themes_in_default_ws"] and out["themes_in_other_ws"]
    assert {"id", "code", "name"} <= set(out["themes_in_default_ws"][0])


def test_lists(ns):
    out = run(LISTS, ns)
    assert {w["code"] for w in out["workspaces"]} >= {"main", "zero", "sales team"}
    assert {t["code"] for t in out["report_types"]} >= {"invoice", "other"}
    assert any(str(t["id"]) == "3" for t in out["themes"])
    assert any(t["code"] == "Default" for t in out["templates"])


def test_reports(ns):
    out = run(REPORTS, ns)
    assert out["reports"] and all(isinstance(r, dict) for r in out["reports"])
    assert isinstance(out["pages"], list) and out["pages"]


def test_get_pdf(ns):
    out = run(GET_PDF, ns)
    assert out["pdf"].startswith(b"%PDF-")


def test_post_pdf(ns):
    out = run(POST_PDF, ns)
    assert out["pdf"].startswith(b"%PDF-")


def test_export(ns, tmp_path):
    run(EXPORT, ns)
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF-")


def test_temp_data_as_written_fails_like_the_official_client(ns):
    # The README's `[...]` is a literal Ellipsis, which JSON cannot carry: the official
    # client raises RuntimeError too. Ours says what is wrong.
    with pytest.raises(RuntimeError) as err:
        run(TEMP_DATA, ns)
    assert isinstance(err.value, cxreports.InvalidInput)
    assert "JSON" in str(err.value)


def test_temp_data_with_a_real_list(ns):
    out = run(TEMP_DATA.replace("[...]", '[{"description": "Widget"}]'), ns)
    assert out["pdf"].startswith(b"%PDF-")


def test_preview(ns):
    out = run(PREVIEW, ns)
    assert "/reports/160/preview?" in out["url"] and "nonce=" in out["url"]
    assert f"tempDataId={ns['temp_data_id']}" in out["url_with_data"]


def test_auth_token(ns):
    assert run(AUTH_TOKEN, ns)["token"]["nonce"]


def test_jobs(ns):
    out = run(JOBS, ns)
    assert out["jobs"] and out["status"]["finished"] is True
    assert "temporaryFileId" in out["review"]


def test_errors(ns, capsys):
    run(ERRORS, ns)
    printed = capsys.readouterr().out
    assert printed.startswith("HTTP error occurred: 404")


def run_readme_block(info: str, fresh, tmp_path) -> "subprocess.CompletedProcess[str]":
    """README.md's one block tagged ```<info>, saved as a script and run as a user would,
    with CXREPORTS_URL and CXREPORTS_TOKEN naming the fake (None: no fake, no variables)."""
    blocks = re.findall(rf"```{info}\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert len(blocks) == 1, f"README.md should have exactly one ```{info} block"
    script = tmp_path / "example.py"
    script.write_text(blocks[0])
    env = subprocess_env(CXREPORTS_URL=fresh.url, CXREPORTS_TOKEN=fresh.token) if fresh else subprocess_env()
    out = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    return out


def test_our_readme_python_example(fresh, tmp_path):
    out = run_readme_block("python", fresh, tmp_path)
    assert "Invoice" in pdf_text((tmp_path / "report.pdf").read_bytes())
    assert (tmp_path / "big.pdf").read_bytes().startswith(b"%PDF-")
    assert "done" in out.stdout, "progress=print printed no final event"


def test_our_readme_python_batch_example(fresh, tmp_path):
    out = run_readme_block("python batch", fresh, tmp_path)
    assert sorted(int(line.split()[0]) for line in out.stdout.splitlines()) == list(range(20))
    assert all(" ok " in line for line in out.stdout.splitlines())
    assert len(list((tmp_path / "out").glob("INV-*.pdf"))) == 20


def test_our_readme_fake_example(tmp_path):
    """The ```python fake block ("The fake server"): the shipped static fake,
    dist/cxfake-linux-amd64 (make builds it; mk/fake.mk), copied beside the script as the
    README says, started by it and used by a client."""
    shipped = ROOT / "dist" / "cxfake-linux-amd64"
    assert shipped.is_file(), f"{shipped} is missing: run make build-fake"
    shutil.copy2(shipped, tmp_path / "cxfake-linux-amd64")
    out = run_readme_block("python fake", None, tmp_path)
    assert out.stdout.startswith("['main', "), out.stdout + out.stderr  # the fake's workspaces
