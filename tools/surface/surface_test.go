package main

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// repoRoot is the repository this package sits in (tools/surface).
const repoRoot = "../.."

func loadTable(t *testing.T) *Table {
	t.Helper()
	tab, err := LoadTable()
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// The repository follows the table: this is the check `make test` runs.
func TestRepositoryFollowsTheTable(t *testing.T) {
	for _, p := range Check(loadTable(t), repoRoot) {
		t.Error(p)
	}
}

// withMethod is the table plus one method nobody has written anywhere else.
func withMethod(t *testing.T, name, node string) *Table {
	tab := loadTable(t)
	m := Method{Name: name, Doc: "List the widgets.", Kind: "json", Result: "array",
		Args: []Arg{{Name: "workspace_id", Type: "id"}, {Name: "timeout", Type: "seconds"}, {Name: "interrupt_fd", Type: "integer"}}}
	m.Names.Python, m.Names.Node = name, node
	tab.Methods = append(tab.Methods, m)
	return tab
}

// A method added to the table and to nothing else fails the check, and the
// problems name every file that must follow and the method.
func TestNewMethodNamesEveryFileThatLacksIt(t *testing.T) {
	probs := Check(withMethod(t, "get_widgets", "getWidgets"), repoRoot)
	t.Log("what `make test` prints for it:\n" + list(probs))
	for _, file := range []string{header, "docs/contract.md", pyMethods, pyStub, nodeClient, nodeTypes, javaMethods, javaClient, cliTable} {
		found := false
		for _, p := range probs {
			if p.File == file && p.Method == "get_widgets" && strings.Contains(p.String(), file) && strings.Contains(p.String(), "get_widgets") {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem names %s and get_widgets; got:\n%s", file, list(probs))
		}
	}
	for _, p := range probs {
		if p.Method != "get_widgets" {
			t.Errorf("a problem about something else: %s", p)
		}
	}
}

func list(probs []Problem) string {
	var b strings.Builder
	for _, p := range probs {
		b.WriteString("  " + p.String() + "\n")
	}
	return b.String()
}

// copyRepo copies the named files of the repository into a temporary root,
// each passed through its edit (if any), for a check against a drifted copy.
func copyRepo(t *testing.T, edits map[string]func(string) string, files ...string) string {
	t.Helper()
	root := t.TempDir()
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(repoRoot, f))
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		if edit := edits[f]; edit != nil {
			edited := edit(text)
			if edited == text {
				t.Fatalf("the edit of %s changed nothing: the test is stale", f)
			}
			text = edited
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, f), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func replace(old, new string) func(string) string {
	return func(s string) string { return strings.Replace(s, old, new, 1) }
}

// wantProblem fails unless some problem is about file and subject, with every
// fragment in its message.
func wantProblem(t *testing.T, probs []Problem, file, subject string, fragments ...string) {
	t.Helper()
	for _, p := range probs {
		if p.File != file || p.Method != subject {
			continue
		}
		ok := true
		for _, f := range fragments {
			ok = ok && strings.Contains(p.Msg, f)
		}
		if ok {
			return
		}
	}
	t.Errorf("no problem about %s / %s mentioning %q; got:\n%s", file, subject, fragments, list(probs))
}

// A hand edit inside a generated block is reported, naming the method whose
// line differs; `make generate` puts it right, and a second run changes nothing.
func TestStaleBlockIsReportedAndRegenerated(t *testing.T) {
	tab := loadTable(t)
	root := copyRepo(t, map[string]func(string) string{
		header:             replace("-> {nonce}", "-> {token}"),
		"docs/contract.md": replace("| get_jobs | getJobs | workspace_id? |", "| get_jobs | getJobs | workspace_id, |"),
	}, header, "docs/contract.md")
	probs := checkBlocks(tab, root)
	wantProblem(t, probs, header, "create_auth_token", "stale", "make generate")
	wantProblem(t, probs, "docs/contract.md", "get_jobs", "stale", "make generate")
	changed, err := generate(tab, root)
	if err != nil || len(changed) != 2 {
		t.Fatalf("generate: %v, rewrote %v", err, changed)
	}
	if probs := checkBlocks(tab, root); len(probs) != 0 {
		t.Fatalf("after generate:\n%s", list(probs))
	}
	before, _ := os.ReadFile(filepath.Join(root, header))
	if changed, err := generate(tab, root); err != nil || len(changed) != 0 {
		t.Fatalf("a second generate: %v, rewrote %v", err, changed)
	}
	after, _ := os.ReadFile(filepath.Join(root, header))
	if string(before) != string(after) {
		t.Fatal("a second generate changed the header")
	}
	want, _ := os.ReadFile(filepath.Join(repoRoot, header))
	if string(after) != string(want) {
		t.Fatal("the regenerated header differs from the repository's")
	}
}

// A file whose markers are gone is reported, not silently skipped.
func TestMissingMarkersAreReported(t *testing.T) {
	root := copyRepo(t, map[string]func(string) string{
		header: replace(" *   END GENERATED\n", ""),
	}, header, "docs/contract.md")
	probs := checkBlocks(loadTable(t), root)
	wantProblem(t, probs, header, "", "no generated block", "END GENERATED")
	if _, err := generate(loadTable(t), root); err == nil || !strings.Contains(err.Error(), header) {
		t.Fatalf("generate without markers: %v", err)
	}
}

// The hand-written bindings are held to each method's kind and arguments, and
// the CLI's table to the methods, not only to the methods' names.
func TestBindingDriftIsReported(t *testing.T) {
	tab := loadTable(t)
	root := copyRepo(t, map[string]func(string) string{
		pyMethods: func(s string) string {
			s = replace(`workspace_id=workspace_id, timeout=timeout), "bytes",
                            progress=progress)`, `workspace_id=workspace_id, timeout=timeout),
                            progress=progress)`)(s) // post_pdf without its kind
			return replace(`def get_job_run_status(self, job_id: Ref, run_id: Ref,`, `def get_job_run_status(self, job_id: Ref, run: Ref,`)(s)
		},
		pyStub:     replace("async def get_themes(", "async def get_theme("),
		nodeClient: replace("savePdf: { method: 'save_pdf', params: ['reportId', 'path', 'params'], options: RENDER_DOWNLOAD, result: 'download' }", "savePdf: { method: 'save_pdf', params: ['reportId', 'path', 'params'], options: RENDER_DOWNLOAD, result: 'json' }"),
		nodeTypes:  replace("  getJobs(opts", "  getJob(opts"),
		cliTable:   replace(`	"get_report_pages":`, `	"get_report_page":`),
	}, pyMethods, pyStub, nodeClient, nodeTypes, cliTable)
	var probs []Problem
	probs = append(probs, checkPython(tab, root)...)
	probs = append(probs, checkNode(tab, root)...)
	probs = append(probs, checkCLI(tab, root)...)
	wantProblem(t, probs, pyMethods, "post_pdf", `kind "json"`, `"bytes"`)
	wantProblem(t, probs, pyMethods, "get_job_run_status", "no parameter run_id")
	wantProblem(t, probs, pyStub, "get_themes", "does not declare")
	wantProblem(t, probs, nodeClient, "save_pdf", "'json'", "'download'")
	wantProblem(t, probs, nodeTypes, "get_jobs", "does not declare getJobs")
	wantProblem(t, probs, cliTable, "get_report_pages", "notCommands does not list it")
	wantProblem(t, probs, cliTable, "get_report_page", "lacks")
	if len(probs) != 7 {
		t.Errorf("want the 7 problems made, got:\n%s", list(probs))
	}
}

// The Java binding is held to each method's C name, kind and progress, to an
// argument of every table argument, and NativeLib's JNA declarations to the
// header's prototypes.
func TestJavaDriftIsReported(t *testing.T) {
	tab := loadTable(t)
	root := copyRepo(t, map[string]func(string) string{
		javaMethods: func(s string) string {
			s = replace(`m("savePdf", "save_pdf", "file", true);`, `m("savePdf", "save_pdf", "json", true);`)(s)
			s = replace(`m("getThemes", "get_themes", "json", false);`, `m("getThemes", "get_theme", "json", false);`)(s)
			s = replace(`m("waitForExport", "wait_for_export", "json", true);`, `m("waitForExport", "wait_for_export", "json", false);`)(s)
			return replace(`a("expiryDate", "expiry_date");`, ``)(s)
		},
		javaClient: func(s string) string {
			s = strings.ReplaceAll(s, "String runId", "String run")
			s = strings.ReplaceAll(s, "long runId", "long run")
			return strings.ReplaceAll(s, "getJobsAsync(", "getJobAsync(")
		},
		javaNative: func(s string) string {
			s = replace("int cx_cancel(long requestId);", "int cx_cancel(long requestId, int how);")(s)
			s = replace("long cx_inbox_new(IntByReference notifyFd", "int cx_inbox_new(IntByReference notifyFd")(s)
			return replace("void cx_free(Pointer p);", "void cx_free(Pointer p);\n\n        int cx_nope();")(s)
		},
	}, header, javaMethods, javaClient, javaOptions, javaBatch, javaNative)
	probs := checkJava(tab, root)
	wantProblem(t, probs, javaMethods, "save_pdf", `kind "json"`, `"file"`)
	wantProblem(t, probs, javaMethods, "get_themes", `"get_theme"`)
	wantProblem(t, probs, javaMethods, "wait_for_export", "progress: false")
	wantProblem(t, probs, javaMethods, "push_temporary_data", "expiry_date no Java name")
	wantProblem(t, probs, javaClient, "get_jobs", "does not declare getJobsAsync")
	for _, m := range []string{"get_job_run_status", "get_run_review_document", "deliver_job_run_entries", "wait_for_job_run"} {
		wantProblem(t, probs, javaClient, m, "parameter runId (run_id)")
	}
	if len(probs) != 9 {
		t.Errorf("want the 9 problems made, got:\n%s", list(probs))
	}
	src, err := os.ReadFile(filepath.Join(root, header))
	if err != nil {
		t.Fatal(err)
	}
	h, err := parseHeader(string(src))
	if err != nil {
		t.Fatal(err)
	}
	ffi := checkJNA(h, root)
	wantProblem(t, ffi, javaNative, "cx_cancel", "2 arguments", "has 1")
	wantProblem(t, ffi, javaNative, "cx_inbox_new", "result is int (int32)", "uint64")
	wantProblem(t, ffi, javaNative, "cx_nope", "no such function")
	if len(ffi) != 3 {
		t.Errorf("want the 3 problems made, got:\n%s", list(ffi))
	}
}

// The bindings' FFI declarations are held to the header's prototypes: the
// number of arguments, their ABI classes, the result, callback signatures,
// and functions the header lacks.
func TestPrototypeDriftIsReported(t *testing.T) {
	root := copyRepo(t, map[string]func(string) string{
		pyLib: func(s string) string {
			s = replace("lib.cx_cancel.argtypes = [c_uint64]", "lib.cx_cancel.argtypes = [c_uint64, c_int]")(s)
			s = replace("lib.cx_client_new.restype = c_uint64", "lib.cx_client_new.restype = c_int")(s)
			s = replace("LOG_FN = ctypes.CFUNCTYPE(None, c_int, c_void_p, c_void_p)", "LOG_FN = ctypes.CFUNCTYPE(None, c_uint64, c_void_p, c_void_p)")(s)
			s = replace("lib.cx_free.restype = None", "lib.cx_free.restype = None\n    lib.cx_nope.argtypes = []\n    lib.cx_nope.restype = c_int"+
				"\n    lib.cx_inbox_next.argtypes = [c_uint64, EVENT_P]\n    lib.cx_inbox_next.restype = c_int"+ // an alias: fine
				"\n    lib.cx_inbox_close.argtypes = [c_bool]\n    lib.cx_inbox_close.restype = None")(s)
			return replace("class OwnedPtr(", "EVENT_P = POINTER(c_void_p)\n\n\nclass OwnedPtr(")(s)
		},
		nodeNativ: func(s string) string {
			s = replace("int cx_inbox_adopt(uint64_t inbox, uint64_t h)", "int cx_inbox_adopt(uint64_t inbox, int h)")(s)
			return replace("const fn = (decl) => lib.func(decl);", "const fn = (decl) => lib.func(decl);\n"+
				"  koffi.proto('void cx_log_fn(int level, void *message, void *user_data)');\n"+ // the typedef: fine
				"  koffi.proto('void cx_progress_fn(uint64_t request_id, void *event_json)');")(s)
		},
	}, header, pyLib, nodeNativ, javaNative)
	probs := checkFFI(root)
	wantProblem(t, probs, pyLib, "cx_cancel", "2 arguments", "has 1")
	wantProblem(t, probs, pyLib, "cx_client_new", "result is c_int (int32)", "uint64")
	wantProblem(t, probs, pyLib, "cx_set_log_callback", "argument 1 is LOG_FN", "cx_log_fn")
	wantProblem(t, probs, pyLib, "cx_nope", "no such function")
	wantProblem(t, probs, pyLib, "cx_inbox_close", "argument 1 is c_bool (bool)", "uint64")
	wantProblem(t, probs, nodeNativ, "cx_inbox_adopt", "argument 2 is int h (int32)", "cx_handle h (uint64)")
	wantProblem(t, probs, nodeNativ, "cx_progress_fn", "2 arguments", "has 3")
	if len(probs) != 7 {
		t.Errorf("want the 7 problems made, got:\n%s", list(probs))
	}
}

// The header parser reads every exported function, so a binding declaring one
// is compared with something.
func TestHeaderPrototypesAreRead(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(repoRoot, header))
	if err != nil {
		t.Fatal(err)
	}
	h, err := parseHeader(string(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, fn := range []string{"cx_abi_version", "cx_methods", "cx_call_bytes", "cx_call_async", "cx_inbox_next", "cx_inbox_close"} {
		if _, ok := h.funcs[fn]; !ok {
			t.Errorf("parseHeader missed %s (it read %v)", fn, slices.Sorted(maps.Keys(h.funcs)))
		}
	}
	cb := h.funcs["cx_call_async"]
	if len(cb.args) != 6 || cb.args[3].describe() != "callback cx_done_fn" || cb.ret.class != "uint64" {
		t.Errorf("cx_call_async read as %+v", cb)
	}
	if n := len(h.funcs["cx_inbox_next"].args); n != 2 {
		t.Errorf("cx_inbox_next: %d arguments", n)
	}
}
