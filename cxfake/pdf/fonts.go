package pdf

// The PDF uses three of the standard 14 fonts, which every reader has built in,
// so the file embeds none: Helvetica, Helvetica-Bold and Courier, in
// WinAnsiEncoding. Text is always printable ASCII (ASCII), so the widths of
// characters 32..126 are all the layout needs.

type font struct {
	res    string       // resource name in the page's font dictionary
	base   string       // BaseFont
	widths *[95]float64 // advance widths of ' '..'~' in 1/1000 em
}

// Glyph widths of the standard Helvetica and Helvetica-Bold metrics (Adobe's AFM
// files), in character order from space to tilde.
var (
	helveticaWidths = [95]float64{
		278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space .. /
		556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0 .. 9
		278, 278, 584, 584, 584, 556, 1015, // : .. @
		667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A .. M
		722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N .. Z
		278, 278, 278, 469, 556, 333, // [ .. `
		556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a .. m
		556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n .. z
		334, 260, 334, 584, // { .. ~
	}
	helveticaBoldWidths = [95]float64{
		278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, // space .. /
		556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0 .. 9
		333, 333, 584, 584, 584, 611, 975, // : .. @
		722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, // A .. M
		722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N .. Z
		333, 278, 333, 584, 556, 333, // [ .. `
		556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, // a .. m
		611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, // n .. z
		389, 280, 389, 584, // { .. ~
	}
	courierWidths = func() (w [95]float64) {
		for i := range w {
			w[i] = 600
		}
		return w
	}()
)

var (
	fontRegular = &font{res: "F1", base: "Helvetica", widths: &helveticaWidths}
	fontBold    = &font{res: "F2", base: "Helvetica-Bold", widths: &helveticaBoldWidths}
	fontMono    = &font{res: "F3", base: "Courier", widths: &courierWidths}
	allFonts    = []*font{fontRegular, fontBold, fontMono}
)

// charWidth is the advance of one byte at size 1; anything outside printable
// ASCII (which the layout never passes) counts as a wide character.
func (f *font) charWidth(c byte) float64 {
	if c < 32 || c > 126 {
		return 1
	}
	return f.widths[c-32] / 1000
}

// width is the advance of s at the given size in points.
func (f *font) width(s string, size float64) float64 {
	var w float64
	for i := 0; i < len(s); i++ {
		w += f.charWidth(s[i])
	}
	return w * size
}

// wrap breaks s into lines no wider than width: at spaces where it can (the space
// that breaks is dropped, as in any report), inside a word only when the word alone
// is too wide. It always returns at least one line.
func (f *font) wrap(s string, size, width float64) []string {
	limit := width / size // compare in units of the size-1 advance
	var lines []string
	for {
		var w float64
		lastSpace := -1
		cut := len(s)
		for i := 0; i < len(s); i++ {
			if s[i] == ' ' {
				lastSpace = i
			}
			w += f.charWidth(s[i])
			if w > limit {
				cut = i
				break
			}
		}
		if cut == len(s) {
			return append(lines, s)
		}
		next := cut
		switch {
		case s[cut] == ' ':
			next = cut + 1 // break at the space that overflowed
		case lastSpace > 0:
			cut, next = lastSpace, lastSpace+1
		case cut == 0:
			cut, next = 1, 1 // a column narrower than one character still progresses
		}
		lines = append(lines, s[:cut])
		s = s[next:]
	}
}
