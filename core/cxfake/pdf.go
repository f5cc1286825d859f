package cxfake

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"
)

// A pdfDoc is a valid PDF 1.4 file with Courier text pages, optionally padded with
// an unreferenced filler stream so that it reaches a requested size. Everything but
// the filler is built in memory (it is small); the filler is written in chunks, and
// the xref offsets are computed from the known sizes, so a file of gigabytes is
// served with an exact Content-Length without being held in memory.
type pdfDoc struct {
	head      []byte  // header and every object except the filler
	offsets   []int64 // byte offset of objects 1..n (filler last, when present)
	fillerLen int64   // bytes of filler stream data; 0 = no filler object
	fillerNum int     // object number of the filler
}

const (
	pageWidth    = 842 // A4 landscape, so lines up to wrapWidth characters fit
	pageHeight   = 595
	fontSize     = 8
	leading      = 10
	margin       = 36
	wrapWidth    = 150
	linesPerPage = (pageHeight - 2*margin) / leading
	maxLines     = 4000 // beyond this the text is cut with a note; sizes come from fakeSizeBytes
)

// newPDF lays text out on pages and pads the file to at least minSize bytes.
func newPDF(text []string, minSize int64) *pdfDoc {
	lines := layout(text)
	var b bytes.Buffer
	var offsets []int64
	obj := func(body string) {
		offsets = append(offsets, int64(b.Len()))
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

	nPages := (len(lines) + linesPerPage - 1) / linesPerPage
	kids := make([]string, nPages)
	for i := range kids {
		kids[i] = fmt.Sprintf("%d 0 R", 4+2*i)
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), nPages))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>")
	for p := 0; p < nPages; p++ {
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>",
			pageWidth, pageHeight, 5+2*p))
		var cs strings.Builder
		fmt.Fprintf(&cs, "BT\n/F1 %d Tf\n%d TL\n%d %d Td\n", fontSize, leading, margin, pageHeight-margin-fontSize)
		for _, l := range lines[p*linesPerPage : min(len(lines), (p+1)*linesPerPage)] {
			cs.WriteString("(")
			cs.WriteString(pdfString(l))
			cs.WriteString(") Tj T*\n")
		}
		cs.WriteString("ET")
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", cs.Len(), cs.String()))
	}
	d := &pdfDoc{head: b.Bytes(), offsets: offsets, fillerNum: len(offsets) + 1}
	if base := d.size(); base < minSize {
		// The xref and the /Length digits grow with the filler, so settle the length
		// in a few rounds; the result is exact unless a digit carry overshoots by a byte or two.
		d.fillerLen = minSize - base
		for i := 0; i < 4 && d.size() != minSize; i++ {
			if over := d.size() - minSize; over < d.fillerLen {
				d.fillerLen -= over
			}
		}
	}
	return d
}

func (d *pdfDoc) fillerHead() string {
	return fmt.Sprintf("%d 0 obj\n<< /Length %d >>\nstream\n", d.fillerNum, d.fillerLen)
}

const fillerFoot = "\nendstream\nendobj\n"

func (d *pdfDoc) objects() int {
	if d.fillerLen > 0 {
		return len(d.offsets) + 1
	}
	return len(d.offsets)
}

// tail is the xref table and trailer; its size depends only on the object count
// and the digits of startxref.
func (d *pdfDoc) tail() []byte {
	xrefAt := int64(len(d.head))
	offsets := d.offsets
	if d.fillerLen > 0 {
		offsets = append(offsets[:len(offsets):len(offsets)], xrefAt)
		xrefAt += int64(len(d.fillerHead())) + d.fillerLen + int64(len(fillerFoot))
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xrefAt)
	return b.Bytes()
}

func (d *pdfDoc) size() int64 {
	n := int64(len(d.head)) + int64(len(d.tail()))
	if d.fillerLen > 0 {
		n += int64(len(d.fillerHead())) + d.fillerLen + int64(len(fillerFoot))
	}
	return n
}

// fillerChunk is shared and never written to: filler is the same bytes everywhere.
var fillerChunk = bytes.Repeat([]byte("% cxfake filler: padding requested by params.fakeSizeBytes\n"), 32<<10/59+1)

// WriteTo streams the file; memory use does not depend on the filler size.
func (d *pdfDoc) WriteTo(w io.Writer) (int64, error) {
	var total int64
	write := func(p []byte) error {
		n, err := w.Write(p)
		total += int64(n)
		return err
	}
	if err := write(d.head); err != nil {
		return total, err
	}
	if d.fillerLen > 0 {
		if err := write([]byte(d.fillerHead())); err != nil {
			return total, err
		}
		for left := d.fillerLen; left > 0; {
			chunk := fillerChunk[:min(left, int64(len(fillerChunk)))]
			if err := write(chunk); err != nil {
				return total, err
			}
			left -= int64(len(chunk))
		}
		if err := write([]byte(fillerFoot)); err != nil {
			return total, err
		}
	}
	return total, write(d.tail())
}

// layout turns text into ASCII lines of at most wrapWidth characters.
func layout(text []string) []string {
	var out []string
	for _, t := range text {
		t = asciiSafe(t)
		for len(t) > wrapWidth {
			out = append(out, t[:wrapWidth])
			t = t[wrapWidth:]
		}
		out = append(out, t)
	}
	if len(out) > maxLines {
		cut := len(out) - maxLines + 1
		out = append(out[:maxLines-1], "[cxfake: "+strconv.Itoa(cut)+" more lines not shown]")
	}
	if len(out) == 0 {
		out = []string{""}
	}
	return out
}

// asciiSafe writes every character outside printable ASCII as a \uXXXX escape (a
// UTF-16 surrogate pair above U+FFFF), the way Python's json.dumps does, so the PDF
// text is plain ASCII and a test can search for the escaped form.
func asciiSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r > 0xffff:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&b, "\\u%04x\\u%04x", r1, r2)
		default:
			fmt.Fprintf(&b, "\\u%04x", r)
		}
	}
	return b.String()
}

// pdfString escapes an ASCII line for a PDF literal string.
func pdfString(s string) string {
	return strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`).Replace(s)
}
