"""Inputs that cannot work fail before anything reaches the server: an unwritable
destination (a render or an export costs the server), a query too long for a URL,
text that would reach the server changed."""

from __future__ import annotations

import pytest

from cxreports import CxReportClientV1, FileWriteError, InvalidConfig, InvalidInput

SAVES = {
    "save_pdf": lambda c, p: c.save_pdf(160, p),
    "save_post_pdf": lambda c, p: c.save_post_pdf(160, p),
    "save_export_content": lambda c, p: c.save_export_content(1, p),
    "export_to_file": lambda c, p: c.export_to_file(160, p, poll_interval=0.01),
}


@pytest.mark.parametrize("method", sorted(SAVES))
@pytest.mark.parametrize("where", ["missing-dir", "under-a-file"])
def test_unwritable_destination_sends_nothing(client, fresh, tmp_path, method, where):
    (tmp_path / "file").write_text("x")
    target = tmp_path / ("missing" if where == "missing-dir" else "file") / "out.pdf"
    with pytest.raises(FileWriteError) as err:
        SAVES[method](client, target)
    assert err.value.code == "io_error"
    assert "Check that the directory exists and is writable" in str(err.value)
    assert fresh.api_requests() == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


BIG = "x" * 70_000
LONG = {
    "get_pdf": lambda c, v, d: c.get_pdf(160, {"params": {"title": v}}),
    "save_pdf": lambda c, v, d: c.save_pdf(160, d / "never.pdf", {"lang": v}),
    "get_pdf_url": lambda c, v, d: c.get_pdf_url(160, {"lang": v}),
    "get_preview_url": lambda c, v, d: c.get_preview_url(160, {"lang": v}),
    "get_preview_url with data": lambda c, v, d: c.get_preview_url(160, {"lang": v}, data={"a": 1}),
}


@pytest.mark.parametrize("method", sorted(LONG))
def test_a_query_too_long_for_a_url_is_refused_before_sending(client, fresh, tmp_path, method):
    with pytest.raises(InvalidInput) as err:
        LONG[method](client, BIG, tmp_path)
    msg = str(err.value)
    assert err.value.code == "invalid_input"
    assert "65536 bytes" in msg and "post_pdf" in msg and "push_temporary_data" in msg
    assert "nothing was sent" in msg
    assert fresh.api_requests() == []


def test_a_20_mb_value_is_refused_before_sending(client, fresh):
    with pytest.raises(InvalidInput):
        client.get_pdf(160, {"lang": "y" * (20 << 20)})
    assert fresh.api_requests() == []


def test_a_query_under_the_limit_is_sent(client, fresh):
    pdf = client.get_pdf(160, {"lang": "z" * 60_000})
    assert pdf.startswith(b"%PDF-")
    assert len(fresh.api_requests()) == 1


def test_half_a_surrogate_pair_is_refused(fresh):
    # json.dumps writes a lone surrogate as a \u escape, which the library would
    # have read as U+FFFD: a workspace code nobody asked for.
    with pytest.raises(InvalidConfig) as err:
        CxReportClientV1(fresh.url, "\udc00", fresh.token)
    assert "surrogate" in str(err.value)
    with CxReportClientV1(fresh.url, 1, fresh.token) as c, pytest.raises(InvalidInput):
        c.get_report_pages("\ud800")
    assert fresh.api_requests() == []
