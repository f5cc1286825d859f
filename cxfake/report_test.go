package cxfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/cxclient/cxreports/cxfake/internal/pdftext"
	"github.com/cxclient/cxreports/cxfake/pdf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bodyText is pdftotext output without the running header (its first two lines
// on a page) and footer (its last two), so that a value that runs over a page
// break reads back whole once the line breaks are removed.
func bodyText(text string) string {
	var out []string
	for _, pg := range pdftext.Pages(text) {
		var lines []string
		for _, l := range strings.Split(pg, "\n") {
			if l != "" {
				lines = append(lines, l)
			}
		}
		if len(lines) >= 4 {
			out = append(out, lines[2:len(lines)-2]...)
		}
	}
	return strings.Join(out, "\n")
}

// The report shows the title, the workspace, every render option, every param and
// every data cell, then the request verbatim, on pages numbered "Page N of M".
func TestReportShowsTheRequest(t *testing.T) {
	srv := newTestServer(t)
	params := `{"title": "Q1 (draft)", "city": "Z\u00fcrich", "rate": 1.50, "nested": {"a": [1, 2]}}`
	data := `[{"sku": "A-1", "qty": 2024, "price": 9.5},
		{"sku": "B-22", "qty": 7777, "note": "fragile \\ (glass)"},
		{"sku": "C-333", "extra": {"k": null}, "when": "2024-05-01"}]`
	body := `{"params": ` + params + `, "data": ` + data + `, "theme": "dark", "template": "Default",
		"timezone": "Europe/Zurich", "lang": "de-CH", "includeAttachments": true, "excludePages": [2]}`
	r := do(t, srv, "POST", "/api/v1/ws/sales%20team/reports/invoice/pdf", body)
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	text := pdftext.Text(t, r.body)
	require.Equal(t, 1, pdftext.PageCount(t, r.body))

	assert.True(t, strings.HasPrefix(text, "CxReports fake render"), "the running header comes first")
	assert.True(t, pdftext.HasCell(text, "Invoice"), "the title is the report's name")
	assert.Contains(t, text, "Report: Invoice (id 160)")
	assert.Contains(t, text, "Workspace: Sales Team (code sales team, id 26)")
	assert.Contains(t, text, "Page 1 of 1")
	for _, opt := range [][2]string{
		{"Format", "pdf"}, {"Theme", "dark"}, {"Template", "Default"}, {"Timezone", "Europe/Zurich"},
		{"Lang", "de-CH"}, {"Include attachments", "true"}, {"Exclude pages", "[2]"},
	} {
		assert.True(t, pdftext.HasCell(text, opt[0]), "option %s", opt[0])
		assert.True(t, pdftext.HasCell(text, opt[1]), "option %s value %s", opt[0], opt[1])
	}
	// Param values show as their text (a string) or their JSON (the rest), non-ASCII
	// as \uXXXX, numbers as sent.
	for _, cell := range []string{"title", "Q1 (draft)", "city", `Z\u00fcrich`, "rate", "1.50", "nested", `{"a":[1,2]}`} {
		assert.True(t, pdftext.HasCell(text, cell), "param cell %q", cell)
	}
	// The data's columns are the union of the keys, in the order first seen; a row
	// holds its values under them.
	layout := pdftext.Layout(t, r.body)
	for _, row := range []string{`sku +qty +price +note +extra +when`, `A-1 +2024 +9\.5\n`, `B-22 +7777 +fragile \\ \(glass\)\n`, `C-333 +\{"k":null\} +2024-05-01\n`} {
		assert.True(t, regexp.MustCompile(row).MatchString(layout), "a table line matching %s", row)
	}
	for _, cell := range []string{"A-1", "2024", "9.5", "B-22", "7777", `fragile \ (glass)`, "C-333", `{"k":null}`, "2024-05-01"} {
		assert.True(t, pdftext.HasCell(text, cell), "data cell %q", cell)
	}
	// The Request section has the request verbatim.
	var compact strings.Builder
	for _, v := range []string{params, data} {
		raw, err := compactJSON([]byte(v))
		require.NoError(t, err)
		compact.WriteString(pdf.ASCII(string(raw)) + "\n")
	}
	lines := strings.Split(compact.String(), "\n")
	assert.Contains(t, joined(text), "Params: "+lines[0])
	assert.Contains(t, joined(text), "Data: "+lines[1])
	assert.Contains(t, text, "Include attachments: true")
	assert.Contains(t, string(r.body), "/MediaBox [0 0 595.28 841.89]", "A4")
}

// An object shows as key/value rows, a scalar as one line, other arrays as
// numbered values; a lang of the United States or Canada gets Letter paper.
func TestReportDataShapes(t *testing.T) {
	srv := newTestServer(t)
	for _, c := range []struct {
		data  string
		cells []string
	}{
		{`{"invoiceNumber": "INV-4711", "items": [{"d": "Widget", "q": 10}]}`, []string{"invoiceNumber", "INV-4711", "items", `[{"d":"Widget","q":10}]`}},
		{`"just a line"`, []string{"just a line"}},
		{`42.0`, []string{"42.0"}},
		{`[true, "two", [3]]`, []string{"0", "true", "1", "two", "2", "[3]"}},
	} {
		r := do(t, srv, "POST", "/api/v1/ws/1/reports/160/pdf", `{"lang": "en-US", "data": `+c.data+`}`)
		require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
		text := pdftext.Text(t, r.body)
		for _, cell := range c.cells {
			assert.True(t, pdftext.HasCell(text, cell), "%s: cell %q in\n%s", c.data, cell, text)
		}
		assert.Contains(t, string(r.body), "/MediaBox [0 0 612 792]", "Letter for en-US")
	}
	r := do(t, srv, "POST", "/api/v1/ws/1/reports/160/pdf", `{}`)
	text := pdftext.Text(t, r.body)
	assert.Contains(t, text, "No params were sent.")
	assert.Contains(t, text, "No data was sent.")
}

// Long data runs over several numbered pages; every row and the request verbatim
// are there.
func TestLongDataMakesPages(t *testing.T) {
	srv := newTestServer(t)
	const n = 200
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf(`{"id": %d, "customer": "Customer %03d", "amount": %d.25}`, i, i, i*7)
	}
	data := "[" + strings.Join(items, ",") + "]"
	r := do(t, srv, "POST", "/api/v1/ws/1/reports/160/pdf", `{"data": `+data+`}`)
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	text := pdftext.Text(t, r.body)
	got := pdftext.PageCount(t, r.body)
	// A page holds as many rows as the fullest page shows (cxfake/pdf's table
	// test checks that number against the page geometry). A row's cell stands
	// alone; the Request section has the same text inside JSON quotes.
	row := regexp.MustCompile(`(?m)(^|\s)Customer \d{3}($|\s)`)
	perPage, tablePages := 0, 0
	for i, pg := range pdftext.Pages(text) {
		assert.Contains(t, pg, fmt.Sprintf("Page %d of %d", i+1, got))
		if pdftext.HasCell(pg, "customer") && pdftext.HasCell(pg, "amount") { // the header row
			tablePages++
		}
		perPage = max(perPage, len(row.FindAllString(pg, -1)))
	}
	require.Positive(t, perPage, "no row of the table found")
	assert.Len(t, pdftext.Pages(text), got)
	assert.GreaterOrEqual(t, tablePages, (n+perPage-1)/perPage, "%d rows at most %d a page", n, perPage)
	assert.LessOrEqual(t, tablePages, (n+perPage-1)/perPage+1, "only the first page has less room")
	for i := range n {
		assert.True(t, pdftext.HasCell(text, fmt.Sprintf("Customer %03d", i)), "row %d", i)
		assert.True(t, pdftext.HasCell(text, fmt.Sprintf("%d.25", i*7)), "row %d", i)
	}
	raw, err := compactJSON([]byte(data))
	require.NoError(t, err)
	assert.True(t, strings.Contains(joined(bodyText(text)), "Data: "+string(raw)), "the Request section has the data verbatim")
}

// A row taller than a page splits across pages; a huge request stays a bounded
// document whose tables say what they left out.
func TestHugeCellsAndRowsAreBounded(t *testing.T) {
	srv := newTestServer(t)
	words := strings.TrimSpace(strings.Repeat("lorem ipsum ", 330)) + " LAST-WORD"
	row := map[string]string{}
	for _, k := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		row[k] = "narrow column " + k
	}
	row["z"] = words
	b, _ := json.Marshal([]any{row})
	r := do(t, srv, "POST", "/api/v1/ws/1/reports/160/pdf", `{"data": `+string(b)+`}`)
	require.Equal(t, http.StatusOK, r.StatusCode)
	text := pdftext.Text(t, r.body)
	assert.Greater(t, pdftext.PageCount(t, r.body), 2, "one row of 4000 characters in a narrow column spans pages")
	assert.True(t, pdftext.HasCell(text, "LAST-WORD"))

	items := make([]string, 5000)
	for i := range items {
		items[i] = fmt.Sprintf(`{"i":%d}`, i)
	}
	r = do(t, srv, "POST", "/api/v1/ws/1/reports/160/pdf", `{"data": [`+strings.Join(items, ",")+`]}`)
	require.Equal(t, http.StatusOK, r.StatusCode)
	text = pdftext.Text(t, r.body)
	assert.Contains(t, text, "[cxfake: 4000 more rows not shown here; the Request section has the data as sent]")
	assert.Contains(t, joined(text), `{"i":4999}]`)
	assert.Less(t, pdftext.PageCount(t, r.body), 60)
}

// BenchmarkRenderReport builds the PDF of a request with 120 rows of data: the
// work of every render and of every export status poll.
func BenchmarkRenderReport(b *testing.B) {
	items := make([]string, 120)
	for i := range items {
		items[i] = fmt.Sprintf(`{"id":%d,"customer":"Customer number %d","amount":%d.5,"paid":true,"tags":["a","b"]}`, i, i, i)
	}
	in := &renderInput{Format: "pdf", Params: json.RawMessage(`{"title":"Quarterly"}`), Theme: "dark"}
	ws := &seedWorkspaces()[0]
	req := &docRequest{heading: "Invoice", subject: "Report: Invoice (id 160)", ws: ws, in: in, data: json.RawMessage("[" + strings.Join(items, ",") + "]")}
	b.ReportAllocs()
	for b.Loop() {
		d := newDocument("Invoice", req)
		_ = d.size()
	}
}
