package cxfake

import (
	"bufio"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawGetAfter dials srv, waits, then writes a request and reads the answer's status
// line: "" when the server had closed the connection meanwhile.
func rawGetAfter(t *testing.T, srv *Server, wait time.Duration) string {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	time.Sleep(wait)
	_, _ = conn.Write([]byte("GET /api/v1/workspaces HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + srv.Token + "\r\n\r\n"))
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return ""
	}
	resp.Body.Close()
	return resp.Status
}

// The wait for a new connection's request headers is bounded (a client that dials
// and stalls past it reads EOF), and WithReadHeaderTimeout(0) lifts the bound.
func TestReadHeaderTimeout(t *testing.T) {
	short := NewServer(WithReadHeaderTimeout(100 * time.Millisecond))
	t.Cleanup(short.Close)
	assert.Equal(t, "200 OK", rawGetAfter(t, short, 0))
	assert.Empty(t, rawGetAfter(t, short, 500*time.Millisecond), "a connection silent past the bound is closed")

	none := NewServer(WithReadHeaderTimeout(0))
	t.Cleanup(none.Close)
	assert.Equal(t, "200 OK", rawGetAfter(t, none, 500*time.Millisecond))
}
