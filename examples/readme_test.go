// Package examples_test checks the Go example of the top-level README.md: its ```go
// block, exactly as printed, must be gofmt-formatted, pass go vet and build as a
// user's program in a module of its own (this module replaced by the work tree), and
// run to the end against the fake server.
package examples_test

import (
	"bytes"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cxclient/cxreports/cxfake"
)

var goBlock = regexp.MustCompile("(?s)\n```go\n(.*?)\n```\n")

func readmeGoBlock(t *testing.T, root string) []byte {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	blocks := goBlock.FindAllSubmatch(readme, -1)
	require.Len(t, blocks, 1, "README.md should have exactly one ```go block, a complete program")
	return append(blocks[0][1], '\n')
}

// goCmd runs the go command in dir; go test puts its own GOROOT/bin first in PATH.
func goCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	// The user's module has no go.sum lines of its own for the dependencies this
	// module brings: -mod=mod lets go fill them in (from the copied go.sum and the
	// module cache). GOWORK=off: no workspace of the developer's leaks in.
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go %s:\n%s", strings.Join(args, " "), out)
	return string(out)
}

func TestReadmeGoExample(t *testing.T) {
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	src := readmeGoBlock(t, root)

	formatted, err := format.Source(src)
	require.NoError(t, err, "README.md's Go example does not parse")
	require.Equal(t, string(formatted), string(src), "README.md's Go example is not gofmt-formatted")

	mod := t.TempDir()
	gomod := "module example.com/readme\n\ngo 1.26\n\n" +
		"require github.com/cxclient/cxreports v0.0.0\n\n" +
		"replace github.com/cxclient/cxreports => " + root + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(mod, "go.mod"), []byte(gomod), 0o644))
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(mod, "go.sum"), sum, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(mod, "main.go"), src, 0o644))

	goCmd(t, mod, "vet", ".")
	bin := filepath.Join(mod, "readme-example")
	goCmd(t, mod, "build", "-o", bin, ".")

	srv := cxfake.NewServer(cxfake.WithExportDelay(50 * time.Millisecond))
	defer srv.Close()
	work := t.TempDir()
	cmd := exec.Command(bin)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "CXREPORTS_URL="+srv.URL, "CXREPORTS_TOKEN="+srv.Token)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "the README's Go example failed against the fake:\n%s", out)

	for _, f := range []string{"report.pdf", "invoice.pdf"} {
		b, err := os.ReadFile(filepath.Join(work, f))
		require.NoError(t, err, "the example did not write %s:\n%s", f, out)
		require.True(t, bytes.HasPrefix(b, []byte("%PDF-")), "%s is not a PDF", f)
	}
	require.Contains(t, string(out), `1 themes in workspace "sales team"`)
	require.Contains(t, string(out), "404 ")
	require.Contains(t, string(out), "no report 999999")
}
