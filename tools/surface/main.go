// Command surface keeps the method surface in one place. The dispatcher's
// method table (capi/dispatch/methods.go, read through cx_methods()) is the
// only place a method's name, arguments, kind and binding names are written:
//
//	go run ./tools/surface          rewrites the generated blocks (make generate)
//	go run ./tools/surface -check   lists every file that does not follow the table
//
// The generated blocks are the method lists of include/cxreports.h and
// docs/contract.md. The hand-written parts (each binding's idiomatic methods,
// the CLI's table, the bindings' FFI declarations) are checked; the check runs
// in `make test` through this package's tests. docs/adding-an-endpoint.md says
// which files a new method touches.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	check := flag.Bool("check", false, "report what does not follow the table instead of writing")
	root := flag.String("root", "", "repository root (default: the directory holding go.mod, from the current one up)")
	flag.Parse()
	if err := run(*root, *check); err != nil {
		fmt.Fprintln(os.Stderr, "surface:", err)
		os.Exit(1)
	}
}

func run(root string, check bool) error {
	if root == "" {
		var err error
		if root, err = findRoot(); err != nil {
			return err
		}
	}
	t, err := LoadTable()
	if err != nil {
		return err
	}
	if check {
		probs := Check(t, root)
		for _, p := range probs {
			fmt.Fprintln(os.Stderr, p)
		}
		if len(probs) > 0 {
			return fmt.Errorf("%d places do not follow capi/dispatch/methods.go (docs/adding-an-endpoint.md)", len(probs))
		}
		return nil
	}
	changed, err := generate(t, root)
	for _, f := range changed {
		fmt.Println("surface: rewrote the generated block of", f)
	}
	return err
}

// findRoot is the nearest directory holding go.mod, from the current one up.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the current directory: pass -root")
		}
		dir = parent
	}
}
