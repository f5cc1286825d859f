package main

/*
#include "cxabi.h"
*/
import "C"

import "github.com/cxclient/cxreports/capi/dispatch"

// The inbox exports (include/cxreports.h, "INBOXES"): calls whose results,
// progress events and log lines are queued for the host to take on its own
// thread, instead of callbacks on library threads. dispatch/inbox.go has the
// logic; this file converts types and recovers panics.

//export cx_inbox_new
func cx_inbox_new(notifyFD *C.int, errorJSON **C.char) C.uint64_t {
	return C.uint64_t(construct("cx_inbox_new", errorJSON, notifyFD == nil, "notify_fd", func() (uint64, []byte) {
		*notifyFD = -1
		id, fd, err := lib.NewInbox()
		if err != nil {
			return 0, dispatch.ErrorEnvelope(dispatch.CodeInternal, "cx_inbox_new: "+err.Error())
		}
		*notifyFD = C.int(fd)
		return id, nil
	}))
}

//export cx_inbox_call
func cx_inbox_call(inbox C.uint64_t, h C.cx_handle, method, args *C.char, wantProgress C.int) C.uint64_t {
	return startByMethod(method, args, failInInbox(inbox), func(method string, args []byte) (uint64, func()) {
		return lib.InboxCall(uint64(inbox), uint64(h), method, args, wantProgress != 0)
	})
}

// failInInbox fails a call whose arguments are unusable through the inbox, so
// the host takes its done event like any other.
func failInInbox(inbox C.uint64_t) func(msg string) (uint64, func()) {
	return func(msg string) (uint64, func()) {
		return lib.InboxFail(uint64(inbox), dispatch.CodeInvalidArgument, msg)
	}
}

//export cx_inbox_next
func cx_inbox_next(inbox C.uint64_t, out *C.cx_event) (ret C.int) {
	defer func() {
		if r := recover(); r != nil {
			ret = 0
		}
	}()
	if out == nil {
		return 0
	}
	ev, ok := lib.InboxNext(uint64(inbox))
	if !ok {
		return 0
	}
	// The text and the bytes are C memory the receiver frees with cx_free; the
	// bytes of a binary result change owner without a copy.
	out.kind = C.int(ev.Kind)
	out.level = C.int(ev.Level)
	out.request_id = C.uint64_t(ev.ID)
	out.text = cString(ev.Text)
	out.data, out.len = takeBody(ev.Body)
	return 1
}

//export cx_inbox_adopt
func cx_inbox_adopt(inbox C.uint64_t, h C.cx_handle) C.int {
	return answer(func() bool { return lib.InboxAdopt(uint64(inbox), uint64(h)) })
}

//export cx_inbox_set_log
func cx_inbox_set_log(inbox C.uint64_t, minLevel C.int) {
	defer func() { _ = recover() }()
	lib.InboxSetLog(uint64(inbox), int(minLevel))
}

//export cx_inbox_close
func cx_inbox_close(inbox C.uint64_t) {
	defer func() { _ = recover() }()
	lib.CloseInbox(uint64(inbox))
}
