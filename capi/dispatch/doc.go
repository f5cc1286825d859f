// Package dispatch is the plain-Go half of the C ABI: it turns a method name and a
// JSON argument object into a core call, and the result or error into the JSON
// envelope the C functions return. It owns the handle table, the registry of
// asynchronous requests and the log-callback plumbing, so that the cgo shim in
// capi/ only converts C types and guards against panics. Nothing here imports "C",
// which keeps the whole dispatcher testable with `go test -race`.
package dispatch
