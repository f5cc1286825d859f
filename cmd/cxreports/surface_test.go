package main

import (
	"io"
	"sort"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// commandMethods names real subcommands, and every subcommand that does work
// is in it: the table tools/surface checks against cx_methods() is the CLI's.
func TestCommandMethodsNamesTheSubcommands(t *testing.T) {
	a := &app{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
	var leaves []string
	var walk func(c *cobra.Command, path string)
	walk = func(c *cobra.Command, path string) {
		for _, sub := range c.Commands() {
			if sub.Name() == "help" || sub.Name() == "completion" {
				continue // cobra's own
			}
			p := strings.TrimSpace(path + " " + sub.Name())
			if sub.HasSubCommands() {
				walk(sub, p)
			} else {
				leaves = append(leaves, p)
			}
		}
	}
	walk(a.rootCommand(), "")
	sort.Strings(leaves)
	var listed []string
	for cmd, methods := range commandMethods {
		listed = append(listed, cmd)
		if len(methods) == 0 {
			t.Errorf("surface.go: commandMethods[%q] names no method", cmd)
		}
	}
	sort.Strings(listed)
	if strings.Join(leaves, ",") != strings.Join(listed, ",") {
		t.Errorf("surface.go: commandMethods lists %v; the subcommands are %v", listed, leaves)
	}
	for m, why := range notCommands {
		if strings.TrimSpace(why) == "" {
			t.Errorf("surface.go: notCommands[%q] gives no reason", m)
		}
	}
}
