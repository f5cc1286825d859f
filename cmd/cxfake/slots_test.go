package main

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type slotStats struct {
	RenderSlots     int `json:"render_slots"`
	RendersInFlight int `json:"renders_in_flight"`
	PeakRenders     int `json:"peak_renders"`
	RenderRefusals  int `json:"render_refusals"`
}

// -render-slots reaches the server: the stats report it, and with one slot held
// by a render asleep in its fakeDelayMs a second render is refused with 429.
func TestCommandRenderSlots(t *testing.T) {
	b, _ := startCommand(t, "-render-slots", "1")
	stats := func() slotStats {
		t.Helper()
		var st slotStats
		fakeStats(t, b, &st)
		return st
	}
	assert.Equal(t, slotStats{RenderSlots: 1}, stats())

	pdf := b.URL + "/api/v1/ws/main/reports/160/pdf?params="
	render := func(ctx context.Context, params string) (*http.Response, error) {
		req, err := http.NewRequestWithContext(ctx, "GET", pdf+base64.URLEncoding.EncodeToString([]byte(params)), nil)
		if err != nil { // no require here: a goroutine calls it
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+b.Token)
		return http.DefaultClient.Do(req)
	}
	// The held render ends when the test cancels its request, not by the clock.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		res, err := render(ctx, `{"fakeDelayMs": 3600000}`)
		if err == nil {
			res.Body.Close()
		}
		done <- err
	}()
	require.Eventually(t, func() bool { return stats().RendersInFlight == 1 }, 10*time.Second, 10*time.Millisecond)

	res, err := render(context.Background(), `{}`)
	require.NoError(t, err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	assert.Equal(t, http.StatusTooManyRequests, res.StatusCode, string(body))
	assert.Equal(t, "1", res.Header.Get("Retry-After"))
	assert.Contains(t, string(body), "render capacity is full")
	assert.Equal(t, slotStats{RenderSlots: 1, RendersInFlight: 1, PeakRenders: 1, RenderRefusals: 1}, stats())

	cancel()
	require.Error(t, <-done)
	require.Eventually(t, func() bool { return stats().RendersInFlight == 0 }, 10*time.Second, 10*time.Millisecond)
	res, err = render(context.Background(), `{}`)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode, "a freed slot serves the next render")
}
