package cxfake

import "net/http"

// Render capacity (WithRenderSlots). A real CxReports server renders on a
// bounded pool and turns away what does not fit; the fake can do the same so a
// client's handling of 429 and Retry-After under load can be tested. The count
// lives under statsMu with the other statistics: a refusal must be decided and
// counted in one step, or the stats could show a refusal without a full house.

// rendering marks a route as a render: it holds one render slot for the whole of
// h, its fakeDelayMs wait and the writing of its body included, and is refused
// with 429 at once when every slot is taken. Refusing instead of queueing is the
// point: a waiting request would hide from the client that the server is full.
// It runs after dispatch has checked the token and the workspace (those answers
// cost the server nothing) and after ServeHTTP has applied any injected fault, so
// a fault queued for a render path still fires whatever the load.
func rendering(h handlerFunc) handlerFunc {
	return func(s *Server, w http.ResponseWriter, r *http.Request, c *call) {
		if !s.takeRenderSlot() {
			// One second: slots free as fast as renders finish, and a longer
			// hint would only slow down a test that retries.
			w.Header().Set("Retry-After", "1")
			writeError(w, http.StatusTooManyRequests,
				"the server's render capacity is full: all %d render slots are busy; retry later", s.cfg.renderSlots)
			return
		}
		defer s.releaseRenderSlot()
		h(s, w, r, c)
	}
}

// takeRenderSlot claims a slot, or counts a refusal when there is none.
// Unlimited servers still count renders, so PeakRenders means something there.
func (s *Server) takeRenderSlot() bool {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	if k := s.cfg.renderSlots; k > 0 && s.renders >= k {
		s.renderRefusals++
		return false
	}
	s.renders++
	s.peakRenders = max(s.peakRenders, s.renders)
	return true
}

func (s *Server) releaseRenderSlot() {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.renders--
}

// RendersInFlight is the number of renders (get_pdf, post_pdf, starting an
// export, downloading export content) holding a slot right now, with or without
// WithRenderSlots. A test waits on it to know its renders have started.
func (s *Server) RendersInFlight() int {
	return s.stat(&s.renders)
}

// PeakRenders is the largest number of renders in flight at the same moment
// since the start or the last Reset; with WithRenderSlots it never exceeds the
// slots.
func (s *Server) PeakRenders() int {
	return s.stat(&s.peakRenders)
}

// RenderRefusals counts the renders answered 429 because every render slot was
// busy (WithRenderSlots), since the start or the last Reset. Injected faults are
// not counted here, even one with status 429.
func (s *Server) RenderRefusals() int {
	return s.stat(&s.renderRefusals)
}
