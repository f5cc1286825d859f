package pdf

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/cxclient/cxreports/cxfake/internal/pdftext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The declared size is the written size, the file reaches the requested size (to
// the byte unless a digit carry forces a byte or two more), and the xref points at
// every object. Padding needs room for the filler object, so sizes from 100 bytes
// over the unpadded file are exact.
func TestPDFSizesAndXref(t *testing.T) {
	page := [][]byte{[]byte(`BT /F1 12 Tf 50 700 Td (hello \(world\) back\\slash) Tj ET`)}
	base := newDoc(A4, `hello (world) back\slash`, page, 0).Size()
	for _, want := range []int64{0, 1, 500, base, base + 100, base + 123, 4096, 99999, 100000, 1 << 20, 3<<20 + 7} {
		d := newDoc(A4, `hello (world) back\slash`, page, want)
		var b bytes.Buffer
		n, err := d.WriteTo(&b)
		require.NoError(t, err)
		require.Equal(t, d.Size(), n, "size %d", want)
		require.Equal(t, int64(b.Len()), n)
		if want >= base+100 {
			assert.GreaterOrEqual(t, n, want)
			assert.LessOrEqual(t, n, want+2, "padding to %d overshoots", want)
		}
		checkXref(t, b.Bytes())
	}
}

// checkXref verifies that every in-use xref entry points at "N 0 obj" and that
// startxref points at the xref table.
func checkXref(t *testing.T, pdf []byte) {
	t.Helper()
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(pdf)
	require.NotNil(t, m, "no startxref trailer")
	at, _ := strconv.Atoi(string(m[1]))
	require.True(t, bytes.HasPrefix(pdf[at:], []byte("xref\n0 ")), "startxref %d does not point at the xref", at)
	entries := regexp.MustCompile(`(\d{10}) 00000 n \n`).FindAllSubmatch(pdf[at:], -1)
	require.NotEmpty(t, entries)
	for i, e := range entries {
		off, _ := strconv.Atoi(string(e[1]))
		want := fmt.Sprintf("%d 0 obj\n", i+1)
		require.True(t, bytes.HasPrefix(pdf[off:], []byte(want)), "object %d not at offset %d", i+1, off)
	}
}

// A padded document is still one that a reader opens: the filler is an
// unreferenced object the xref accounts for.
func TestPaddedDocIsReadable(t *testing.T) {
	d := Render(&Report{Paper: A4, Title: "Padded", Sections: []Section{{Title: "Body", Notes: []string{"some text"}}}}, 2_000_000)
	var b bytes.Buffer
	n, err := d.WriteTo(&b)
	require.NoError(t, err)
	assert.Equal(t, int64(2_000_000), n)
	assert.Equal(t, d.Size(), n)
	checkXref(t, b.Bytes())
	assert.Contains(t, pdftext.Text(t, b.Bytes()), "some text")
}
