package pdf

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/cxclient/cxreports/cxfake/internal/pdftext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A table longer than a page goes on over as many pages as its rows need, with the
// header row repeated on each.
func TestTableBreaksPages(t *testing.T) {
	perPage := int(math.Floor((A4.h - marginTop - marginBottom - rowHeight(1)) / rowHeight(1)))
	const rows = 127
	tb := &table{header: []string{"n", "name"}}
	for i := range rows {
		tb.rows = append(tb.rows, []string{fmt.Sprint(i), fmt.Sprintf("row-%03d", i)})
	}
	p := newPageWriter(A4)
	require.Zero(t, tb.draw(p))
	doc := newDoc(A4, "t", p.finish("head", "right", "foot"), 0)
	var b strings.Builder
	_, err := doc.WriteTo(&b)
	require.NoError(t, err)
	want := (rows + perPage - 1) / perPage
	assert.Equal(t, want, pdftext.PageCount(t, []byte(b.String())), "%d rows at %d a page", rows, perPage)
	text := pdftext.Text(t, []byte(b.String()))
	for i, pg := range pdftext.Pages(text) {
		assert.Contains(t, pg, fmt.Sprintf("Page %d of %d", i+1, want))
		assert.True(t, pdftext.HasCell(pg, "n") && pdftext.HasCell(pg, "name"), "page %d repeats the header row", i+1)
		assert.Equal(t, min(perPage, rows-i*perPage), strings.Count(pg, "row-"), "rows on page %d", i+1)
	}
	for i := range rows {
		assert.True(t, pdftext.HasCell(text, fmt.Sprintf("row-%03d", i)))
	}
}

func TestColumnWidths(t *testing.T) {
	tb := &table{rows: [][]string{{"key", strings.Repeat("long value ", 80)}}, keyCols: 1, fitLast: true}
	w := tb.colWidths(500, 2)
	assert.InDelta(t, 500, w[0]+w[1], 0.001)
	assert.Less(t, w[0], 60.0, "the key column keeps its own width")
	tb = &table{header: []string{"a", "b", "c"}, rows: [][]string{{"1", strings.Repeat("x", 300), strings.Repeat("y", 300)}}}
	w = tb.colWidths(500, 3)
	assert.InDelta(t, 500, w[0]+w[1]+w[2], 0.001)
	assert.Equal(t, minColWidth, w[0], "a narrow column keeps its width")
	assert.InDelta(t, w[1], w[2], 0.001, "the wide ones share the rest")
}
