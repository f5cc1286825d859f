// Package pdf is the PDF renderer of the fake CxReports server (package
// cxfake): it lays a Report out on A4 or Letter pages in the standard Helvetica
// and Courier fonts, as ruled tables that wrap their cells, break across pages
// and repeat their header row, and writes a valid PDF 1.4 file that can be
// padded to any size and is streamed, so a file of gigabytes is served with an
// exact length without being held in memory. It needs nothing but the standard
// library, so a reader can follow it without the fake.
package pdf

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"
)

// A Doc is a valid PDF 1.4 file: the pages a report layout drew, in the
// standard Helvetica and Courier fonts, optionally padded with an unreferenced
// filler stream so that it reaches a requested size. Everything but the filler is
// built in memory (it is small); the filler is written in chunks, and the xref
// offsets are computed from the known sizes, so a file of gigabytes is served with
// an exact Content-Length without being held in memory.
type Doc struct {
	head      []byte  // header and every object except the filler
	offsets   []int64 // byte offset of objects 1..n (filler last, when present)
	fillerLen int64   // bytes of filler stream data; 0 = no filler object
	fillerNum int     // object number of the filler
	pages     int
}

// Objects of every file, in this order; the pages follow, each a page object and
// its content stream.
const (
	objCatalog = 1 + iota
	objPages
	objInfo
	objFirstFont // one object per font of allFonts
)

// newDoc writes the pages (content streams, all of one size) into a file titled
// title, padded to at least minSize bytes.
func newDoc(size Paper, title string, pages [][]byte, minSize int64) *Doc {
	if len(pages) == 0 {
		pages = [][]byte{nil}
	}
	var b bytes.Buffer
	n := 2048
	for _, pg := range pages {
		n += len(pg) + 128
	}
	b.Grow(n)
	var offsets []int64
	begin := func() {
		offsets = append(offsets, int64(b.Len()))
		b.WriteString(strconv.Itoa(len(offsets)))
		b.WriteString(" 0 obj\n")
	}
	end := func() { b.WriteString("\nendobj\n") }
	obj := func(body string) {
		begin()
		b.WriteString(body)
		end()
	}
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

	firstPage := objFirstFont + len(allFonts)
	var kids, fonts strings.Builder
	for i := range pages {
		fmt.Fprintf(&kids, "%d 0 R ", firstPage+2*i)
	}
	for i, f := range allFonts {
		fmt.Fprintf(&fonts, "/%s %d 0 R ", f.res, objFirstFont+i)
	}
	obj(fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", objPages))
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 %s %s] /Resources << /Font << %s>> >> >>",
		kids.String(), len(pages), pdfNum(size.w), pdfNum(size.h), fonts.String()))
	obj(fmt.Sprintf("<< /Title (%s) /Producer (cxfake, a fake CxReports server) >>", pdfString(ASCII(title))))
	for _, f := range allFonts {
		obj("<< /Type /Font /Subtype /Type1 /BaseFont /" + f.base + " /Encoding /WinAnsiEncoding >>")
	}
	for i, content := range pages {
		obj(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /Contents %d 0 R >>", objPages, firstPage+2*i+1))
		begin()
		fmt.Fprintf(&b, "<< /Length %d >>\nstream\n", len(content))
		b.Write(content)
		b.WriteString("\nendstream")
		end()
	}
	d := &Doc{head: b.Bytes(), offsets: offsets, fillerNum: len(offsets) + 1, pages: len(pages)}
	if base := d.Size(); base < minSize {
		// The xref and the /Length digits grow with the filler, so settle the length
		// in a few rounds; the result is exact unless a digit carry overshoots by a byte or two.
		d.fillerLen = minSize - base
		for i := 0; i < 4 && d.Size() != minSize; i++ {
			if over := d.Size() - minSize; over < d.fillerLen {
				d.fillerLen -= over
			}
		}
	}
	return d
}

func (d *Doc) fillerHead() string {
	return fmt.Sprintf("%d 0 obj\n<< /Length %d >>\nstream\n", d.fillerNum, d.fillerLen)
}

const fillerFoot = "\nendstream\nendobj\n"

// tail is the xref table and trailer; its size depends only on the object count
// and the digits of startxref.
func (d *Doc) tail() []byte {
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
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, objCatalog, objInfo, xrefAt)
	return b.Bytes()
}

// Size is the exact number of bytes WriteTo writes.
func (d *Doc) Size() int64 {
	n := int64(len(d.head)) + int64(len(d.tail()))
	if d.fillerLen > 0 {
		n += int64(len(d.fillerHead())) + d.fillerLen + int64(len(fillerFoot))
	}
	return n
}

// fillerChunk is shared and never written to: filler is the same bytes everywhere.
var fillerChunk = bytes.Repeat([]byte("% cxfake filler: padding requested by params.fakeSizeBytes\n"), 32<<10/59+1)

// WriteTo streams the file; memory use does not depend on the filler size.
func (d *Doc) WriteTo(w io.Writer) (int64, error) {
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

// ASCII writes every character outside printable ASCII as a \uXXXX escape (a
// UTF-16 surrogate pair above U+FFFF), the way Python's json.dumps does, so the PDF
// text is plain ASCII and a test can search for the escaped form.
func ASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return asciiEscape(s, i)
		}
	}
	return s // the common case: nothing to escape, nothing to copy
}

// asciiEscape is ASCII for text whose first character to escape is at i.
func asciiEscape(s string, i int) string {
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		switch {
		case r >= 0x20 && r < 0x7f:
			b.WriteByte(byte(r))
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
