package pdf

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/cxclient/cxreports/cxfake/internal/pdftext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// render writes r and returns the file and its text.
func render(t *testing.T, r *Report) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	_, err := Render(r, 0).WriteTo(&b)
	require.NoError(t, err)
	return b.Bytes(), pdftext.Text(t, b.Bytes())
}

// Every text of a Report reaches the page, what is not printable ASCII as
// \uXXXX, and the sections come in order with their parts in order.
func TestRenderShowsEveryText(t *testing.T) {
	pdf, text := render(t, &Report{
		Paper:      Letter,
		Title:      "Caf\u00e9 report",
		Meta:       []string{"meta line \u00fc"},
		HeaderLeft: "head left", HeaderRight: "head right \u00e9", Footer: "foot \u00e9",
		Sections: []Section{
			{Title: "First", Notes: []string{"a note \u00e9"}, Rows: [][]string{{"key \u00e9", "value \u00e9"}}},
			{Title: "Second", JSON: []byte(`{"jsonkey": "jsonvalue"}`), Mono: []string{strings.Repeat("m", MonoWidth) + "tail"}},
		},
	})
	for _, s := range []string{`Caf\u00e9 report`, `meta line \u00fc`, "head left", `head right \u00e9`, `foot \u00e9`,
		`a note \u00e9`, `key \u00e9`, `value \u00e9`, "Page 1 of 1"} {
		assert.Contains(t, text, s)
	}
	assert.Contains(t, string(pdf), "/MediaBox [0 0 612 792]", "Letter")
	first, second := strings.Index(text, "First"), strings.Index(text, "Second")
	require.True(t, first >= 0 && second > first, "the sections in order")
	assert.Contains(t, text[second:], "An object with 1 member, as key/value rows.")
	require.True(t, pdftext.HasCell(text, "jsonkey") && pdftext.HasCell(text, "jsonvalue"), "the JSON as key/value rows")
	assert.Less(t, strings.Index(text, "jsonvalue"), strings.Index(text, "\ntail\n"), "the JSON before the Mono lines")
	assert.Contains(t, text, "\ntail\n", "a Mono line wraps at MonoWidth characters")
}

// PlainObject leaves out the note that names an object's shape; an array keeps
// its note either way.
func TestPlainObjectHasNoShapeNote(t *testing.T) {
	_, text := render(t, &Report{Paper: A4, Sections: []Section{{Title: "Params", JSON: []byte(`{"k": 1}`), PlainObject: true}}})
	assert.NotContains(t, text, "An object with")
	assert.True(t, pdftext.HasCell(text, "k"))
	_, text = render(t, &Report{Paper: A4, Sections: []Section{{Title: "Params", JSON: []byte(`[1, 2]`), PlainObject: true}}})
	assert.Contains(t, text, "An array of 2 values.")
}

// A table shows at most 1000 rows; a note counts the rest and ends with the
// section's Elsewhere, when given.
func TestLeftOutRowsNote(t *testing.T) {
	values := make([]string, 1003)
	for i := range values {
		values[i] = strconv.Itoa(i)
	}
	data := []byte("[" + strings.Join(values, ",") + "]")
	words := func(text string) string { return strings.Join(strings.Fields(text), " ") }
	_, text := render(t, &Report{Paper: A4, Sections: []Section{{Title: "Data", JSON: data, Elsewhere: "see the appendix"}}})
	assert.Contains(t, words(text), "[cxfake: 3 more rows not shown here; see the appendix]")
	_, text = render(t, &Report{Paper: A4, Sections: []Section{{Title: "Data", JSON: data}}})
	assert.Contains(t, words(text), "[cxfake: 3 more rows not shown here]")
}
