// Package pdftext reads a PDF back as text for the tests of cxfake and
// cxfake/pdf, with poppler's pdftotext and pdfinfo. Without them a test fails,
// on CI and on a developer's machine alike, rather than skip: `make test` means
// every test, and the README lists the tools with their apt-get line.
package pdftext

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Text is the text of a PDF as pdftotext prints it: pages end with a form feed.
func Text(t testing.TB, pdf []byte) string {
	t.Helper()
	return string(poppler(t, pdf, "pdftotext", "PDF", "-"))
}

// Layout is pdftotext -layout: the text as it sits on the page, so a table row
// reads as one line.
func Layout(t testing.TB, pdf []byte) string {
	t.Helper()
	return string(poppler(t, pdf, "pdftotext", "-layout", "PDF", "-"))
}

// PageCount is the page count pdfinfo reads from a PDF.
func PageCount(t testing.TB, pdf []byte) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindSubmatch(poppler(t, pdf, "pdfinfo", "PDF"))
	require.NotNil(t, m, "pdfinfo printed no page count")
	n, err := strconv.Atoi(string(m[1]))
	require.NoError(t, err)
	return n
}

// Pages splits pdftotext output into its pages.
func Pages(text string) []string {
	return strings.Split(strings.TrimSuffix(text, "\f"), "\f")
}

// HasCell reports whether s shows in pdftotext output as whole words: pdftotext
// puts neighbouring cells of a row on one line, so a cell is bounded by a line's
// start or end or by a space.
func HasCell(text, s string) bool {
	return regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(s) + `($|\s)`).MatchString(text)
}

// poppler runs a poppler-utils tool with args, in which "PDF" stands for the
// file's path, and returns its output; any complaint about the file fails the test.
func poppler(t testing.TB, pdf []byte, tool string, args ...string) []byte {
	t.Helper()
	bin, err := exec.LookPath(tool)
	if err != nil {
		t.Fatal(tool + " is not installed: apt-get install poppler-utils " +
			"(README.md, 'Two commands', lists what the tests need)")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	require.NoError(t, os.WriteFile(path, pdf, 0o600))
	var stderr strings.Builder
	args = slices.Clone(args)
	if i := slices.Index(args, "PDF"); i >= 0 {
		args[i] = path
	}
	cmd := exec.Command(bin, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "%s failed: %s", tool, stderr.String())
	require.Empty(t, stderr.String(), "%s complained about the file", tool)
	return out
}
