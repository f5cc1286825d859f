package pdf

import (
	"bytes"
	"math"
	"strconv"
)

// The page layout: a cursor that moves down the body of a page, breaking to a new
// page when a block does not fit, and drawing with a handful of PDF operators
// (text in BT/ET, lines with m/l/S, filled rectangles with re/f). Headers and
// footers go on last, once the page count is known.

// A Paper is a page size; A4 and Letter are the two a Report uses.
type Paper struct {
	w, h float64 // in points
}

// The page sizes, in points.
var (
	A4     = Paper{595.28, 841.89}
	Letter = Paper{612, 792}
)

const (
	marginX      = 50.0 // left and right
	marginTop    = 60.0 // body starts below the running header
	marginBottom = 58.0 // body ends above the footer
	headerY      = 30.0 // baseline of the running header, from the top edge
	footerY      = 30.0 // baseline of the footer, from the bottom edge
)

// Colours, as PDF operands.
const (
	colorText    = "0 0 0"
	colorMuted   = "0.42 0.45 0.5"
	colorAccent  = "0.12 0.27 0.49"
	colorRule    = "0.62 0.66 0.72"
	colorHeadRow = "0.87 0.91 0.96"
	colorZebra   = "0.96 0.97 0.98"
)

type pageWriter struct {
	size  Paper
	pages []*bytes.Buffer
	cur   *bytes.Buffer
	y     float64 // top of the free space on the current page
	fill  string  // fill colour set on the current page
	num   []byte  // scratch for numbers

	// lineBudget is how many table lines may still be drawn: it bounds the pages
	// of a huge request (the tables stop with a note; the Request section has all).
	lineBudget int
}

func newPageWriter(size Paper) *pageWriter {
	p := &pageWriter{size: size, lineBudget: maxTableLines}
	p.newPage()
	return p
}

func (p *pageWriter) left() float64  { return marginX }
func (p *pageWriter) right() float64 { return p.size.w - marginX }
func (p *pageWriter) width() float64 { return p.size.w - 2*marginX }
func (p *pageWriter) top() float64   { return p.size.h - marginTop }

// bodyHeight is the height a block can have on an empty page.
func (p *pageWriter) bodyHeight() float64 { return p.top() - marginBottom }

// room is the height left on the current page.
func (p *pageWriter) room() float64 { return p.y - marginBottom }

func (p *pageWriter) newPage() {
	p.cur = bytes.NewBuffer(make([]byte, 0, 16<<10)) // a full page of table is about 12 KB
	p.pages = append(p.pages, p.cur)
	p.y = p.top()
	p.fill = ""
}

// ensure starts a new page unless h points fit on this one (a block taller than a
// page starts on a fresh page and its caller splits it).
func (p *pageWriter) ensure(h float64) {
	if h > p.room() && p.y < p.top() {
		p.newPage()
	}
}

func (p *pageWriter) gap(h float64) {
	p.y -= h
	if p.y < marginBottom {
		p.newPage()
	}
}

func (p *pageWriter) n(f float64) {
	p.num = appendNum(p.num[:0], f)
	p.cur.Write(p.num)
	p.cur.WriteByte(' ')
}

func (p *pageWriter) setFill(c string) {
	if p.fill != c {
		p.cur.WriteString(c)
		p.cur.WriteString(" rg\n")
		p.fill = c
	}
}

// beginText opens a text object in font f at size, filled with color; the
// caller positions and shows the text and writes the ET.
func (p *pageWriter) beginText(f *font, size float64, color string) {
	p.setFill(color)
	p.cur.WriteString("BT /")
	p.cur.WriteString(f.res)
	p.cur.WriteByte(' ')
	p.n(size)
	p.cur.WriteString("Tf ")
}

// text draws one line of printable ASCII with its baseline at y.
func (p *pageWriter) text(f *font, size, x, y float64, color, s string) {
	p.beginText(f, size, color)
	p.n(x)
	p.n(y)
	p.cur.WriteString("Td (")
	writePDFString(p.cur, s)
	p.cur.WriteString(") Tj ET\n")
}

// textRight draws s ending at x.
func (p *pageWriter) textRight(f *font, size, x, y float64, color, s string) {
	p.text(f, size, x-f.width(s, size), y, color, s)
}

// rect fills a rectangle given by its top-left corner.
func (p *pageWriter) rect(x, top, w, h float64, color string) {
	p.setFill(color)
	p.n(x)
	p.n(top - h)
	p.n(w)
	p.n(h)
	p.cur.WriteString("re f\n")
}

// lines strokes segments (x1 y1 x2 y2 ...) in the rule colour.
func (p *pageWriter) lines(width float64, coords ...float64) {
	p.cur.WriteString("q ")
	p.cur.WriteString(colorRule)
	p.cur.WriteString(" RG ")
	p.n(width)
	p.cur.WriteString("w\n")
	for i := 0; i+3 < len(coords); i += 4 {
		p.n(coords[i])
		p.n(coords[i+1])
		p.cur.WriteString("m ")
		p.n(coords[i+2])
		p.n(coords[i+3])
		p.cur.WriteString("l\n")
	}
	p.cur.WriteString("S Q\n")
}

// paragraph draws wrapped text at the cursor, breaking pages between lines.
func (p *pageWriter) paragraph(f *font, size, lead float64, color, s string) {
	for _, l := range f.wrap(s, size, p.width()) {
		p.ensure(lead)
		p.text(f, size, p.left(), p.y-size, color, l)
		p.y -= lead
	}
}

// monoLines draws lines of Courier, one text object per page.
func (p *pageWriter) monoLines(size, lead float64, lines []string) {
	for len(lines) > 0 {
		fit := int(p.room() / lead)
		if fit < 1 {
			p.newPage()
			continue
		}
		fit = min(fit, len(lines))
		p.beginText(fontMono, size, colorText)
		p.n(lead)
		p.cur.WriteString("TL ")
		p.n(p.left())
		p.n(p.y - size)
		p.cur.WriteString("Td\n")
		for _, l := range lines[:fit] {
			p.cur.WriteByte('(')
			writePDFString(p.cur, l)
			p.cur.WriteString(") Tj T*\n")
		}
		p.cur.WriteString("ET\n")
		p.y -= float64(fit) * lead
		lines = lines[fit:]
	}
}

// finish adds the running header and the footer to every page and returns the
// content streams.
func (p *pageWriter) finish(headerLeft, headerRight, footerLeft string) [][]byte {
	out := make([][]byte, len(p.pages))
	total := strconv.Itoa(len(p.pages))
	for i, pg := range p.pages {
		p.cur, p.fill = pg, ""
		top := p.size.h - headerY
		p.text(fontBold, 8, p.left(), top, colorAccent, headerLeft)
		p.textRight(fontRegular, 8, p.right(), top, colorMuted, headerRight)
		p.lines(0.75, p.left(), top-6, p.right(), top-6)
		p.lines(0.5, p.left(), footerY+12, p.right(), footerY+12)
		p.text(fontRegular, 8, p.left(), footerY, colorMuted, footerLeft)
		p.textRight(fontRegular, 8, p.right(), footerY, colorMuted, "Page "+strconv.Itoa(i+1)+" of "+total)
		out[i] = pg.Bytes()
	}
	return out
}

// appendNum writes a coordinate with at most two decimals and no trailing zeros.
func appendNum(b []byte, f float64) []byte {
	v := math.Round(f * 100)
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	i := int64(v)
	b = strconv.AppendInt(b, i/100, 10)
	if frac := i % 100; frac != 0 {
		b = append(b, '.', byte('0'+frac/10))
		if frac%10 != 0 {
			b = append(b, byte('0'+frac%10))
		}
	}
	return b
}

func pdfNum(f float64) string { return string(appendNum(nil, f)) }

// writePDFString escapes an ASCII line for a PDF literal string.
func writePDFString(b *bytes.Buffer, s string) {
	start := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\\' || c == '(' || c == ')' {
			b.WriteString(s[start:i])
			b.WriteByte('\\')
			b.WriteByte(c)
			start = i + 1
		}
	}
	b.WriteString(s[start:])
}
