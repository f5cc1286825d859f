"""Render report 160 to a PDF file with the cxreports Python binding.

Run with a server in the environment, e.g. against the fake:
    scripts/with-fake.sh python bindings/python/examples/demo.py out/demo-python.pdf
(CXREPORTS_URL, CXREPORTS_TOKEN and CXREPORTS_WORKSPACE come from with-fake.sh.)
"""

import logging
import os
import sys

from cxreports import CxReportClientV1, CxReportsError


def main() -> int:
    target = sys.argv[1] if len(sys.argv) > 1 else "demo-python.pdf"
    logging.basicConfig(level=logging.INFO, format="%(name)s %(levelname)s %(message)s")
    try:
        url, token = os.environ["CXREPORTS_URL"], os.environ["CXREPORTS_TOKEN"]
    except KeyError as missing:
        print(f"set {missing} (or run under scripts/with-fake.sh)", file=sys.stderr)
        return 2
    workspace = os.environ.get("CXREPORTS_WORKSPACE", "1")
    with CxReportClientV1(url, int(workspace) if workspace.isdigit() else workspace, token,
                          user_agent_suffix="demo-python") as client:
        try:
            names = [w["name"] for w in client.get_workspaces()]
            print("workspaces:", ", ".join(names))
            result = client.save_pdf(160, target, {"params": {"title": "Hello from Python"},
                                                   "timezone": "UTC"})
        except CxReportsError as exc:
            print(f"demo failed: {exc}", file=sys.stderr)
            return 1
    print(f"wrote {result['bytes']} bytes ({result['content_type']}) to {result['path']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
