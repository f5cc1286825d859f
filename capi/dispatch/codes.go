package dispatch

// Error codes added by the C layer on top of the core's codes (see docs/contract.md).
// They are part of the ABI: bindings switch on them, so they never change.
const (
	CodeInvalidArgument = "invalid_argument" // NULL, junk JSON, wrong types, missing or unknown arguments
	CodeUnknownMethod   = "unknown_method"   // no method of that name
	CodeInvalidHandle   = "invalid_handle"   // 0, never issued, or already freed
	CodeBinaryResult    = "binary_result"    // a byte-returning method called through cx_call
	CodeInternal        = "internal"         // a recovered panic
	CodeInvalidConfig   = "invalid_config"   // cx_client_new rejected the configuration
	CodeCanceled        = "canceled"         // the call was canceled (cx_cancel, cx_client_free)
	CodeTimeout         = "timeout"          // the call's deadline passed
)

// Error is an error raised by the dispatcher itself, before or around a core call.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

func newError(code, msg string) *Error { return &Error{Code: code, Message: msg} }
