package shaper

import (
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shapedPair connects a plain client to a shaped server side through a real
// loopback socket. Cleanup aborts the server side and waits for its pumps.
func shapedPair(t *testing.T, latency time.Duration, bps int64) (server net.Conn, client net.Conn) {
	t.Helper()
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ln := NewListener(tcp, latency, bps)
	t.Cleanup(func() { ln.Close(); ln.Abort(); ln.Wait() })
	client, err = net.Dial("tcp", tcp.Addr().String())
	require.NoError(t, err)
	t.Cleanup(func() { client.Close() })
	server, err = ln.Accept()
	require.NoError(t, err)
	require.IsType(t, &shapedConn{}, server)
	return server, client
}

// Data arrives at least one latency after it was sent, in each direction, whole
// and in order.
func TestShapedConnDelaysEachDirection(t *testing.T) {
	const lat = 40 * time.Millisecond
	server, client := shapedPair(t, lat, 0)

	start := time.Now()
	_, err := client.Write([]byte("ping"))
	require.NoError(t, err)
	buf := make([]byte, 16)
	n, err := server.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "ping", string(buf[:n]))
	assert.GreaterOrEqual(t, time.Since(start), lat, "client to server")

	start = time.Now()
	_, err = server.Write([]byte("pong"))
	require.NoError(t, err)
	n, err = io.ReadFull(client, buf[:4])
	require.NoError(t, err)
	assert.Equal(t, "pong", string(buf[:n]))
	assert.GreaterOrEqual(t, time.Since(start), lat, "server to client")
}

// Write only queues: it returns before the data has reached the peer, and the
// data follows a latency later. The latency here is an hour, so the check needs
// no clock: a Write that waited for the latency would not return within the
// test's 10 s (the timeout only ends such a hung Write), and the client's socket
// holds nothing when it has returned.
func TestShapedConnWriteOnlyQueues(t *testing.T) {
	server, client := shapedPair(t, time.Hour, 0)
	wrote := make(chan error, 1)
	go func() {
		_, err := server.Write([]byte("pong"))
		wrote <- err
	}()
	select {
	case err := <-wrote:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("Write waits for the latency instead of queueing")
	}
	// The pump holds the data until it is due, in an hour: a read finds nothing.
	require.NoError(t, client.SetReadDeadline(time.Now().Add(50*time.Millisecond)))
	n, err := client.Read(make([]byte, 4))
	assert.Zero(t, n, "the data reached the client before its latency")
	assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
	out := server.(*shapedConn).out
	out.mu.Lock()
	queued := out.queued
	out.mu.Unlock()
	assert.Equal(t, 4, queued, "the data waits in the line")
}

// A deadline in the past ends a Read that waits, with a timeout error, and a
// cleared deadline lets the next Read wait for data again: net/http depends on
// both to stop its background read between requests.
func TestShapedConnReadDeadline(t *testing.T) {
	server, client := shapedPair(t, 10*time.Millisecond, 0)
	done := make(chan error, 1)
	go func() {
		_, err := server.Read(make([]byte, 1))
		done <- err
	}()
	time.Sleep(20 * time.Millisecond) // let the Read block (the test passes either way)
	require.NoError(t, server.SetReadDeadline(time.Unix(1, 0)))
	err := <-done
	var ne net.Error
	require.ErrorAs(t, err, &ne)
	assert.True(t, ne.Timeout())
	assert.ErrorIs(t, err, os.ErrDeadlineExceeded)

	require.NoError(t, server.SetReadDeadline(time.Now().Add(30*time.Millisecond)))
	start := time.Now()
	_, err = server.Read(make([]byte, 1))
	assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
	assert.GreaterOrEqual(t, time.Since(start), 25*time.Millisecond, "a future deadline is waited for")

	require.NoError(t, server.SetDeadline(time.Time{}))
	_, err = client.Write([]byte("x"))
	require.NoError(t, err)
	n, err := server.Read(make([]byte, 1))
	require.NoError(t, err)
	assert.Equal(t, 1, n)
}

// Close unblocks a waiting Read and a Write that waits for room (the client reads
// nothing and the line is full).
func TestShapedConnCloseUnblocks(t *testing.T) {
	server, _ := shapedPair(t, time.Millisecond, 8000) // 1 kB/s: the line fills at once
	readErr := make(chan error, 1)
	go func() {
		_, err := server.Read(make([]byte, 1))
		readErr <- err
	}()
	writeErr := make(chan error, 1)
	go func() {
		_, err := server.Write(make([]byte, 2*lineLimit))
		writeErr <- err
	}()
	time.Sleep(20 * time.Millisecond)
	require.NoError(t, server.Close())
	for _, ch := range []chan error{readErr, writeErr} {
		select {
		case err := <-ch:
			assert.ErrorIs(t, err, net.ErrClosed)
		case <-time.After(10 * time.Second):
			t.Fatal("Close did not unblock")
		}
	}
	assert.ErrorIs(t, server.Close(), net.ErrClosed, "a second Close fails as on a real connection")
}

// What was written before Close still arrives, then the client sees EOF.
func TestShapedConnCloseDeliversWhatWasWritten(t *testing.T) {
	server, client := shapedPair(t, 30*time.Millisecond, 0)
	msg := make([]byte, 300<<10)
	for i := range msg {
		msg[i] = byte(i % 251)
	}
	_, err := server.Write(msg)
	require.NoError(t, err)
	require.NoError(t, server.Close())
	got, err := io.ReadAll(client)
	require.NoError(t, err)
	assert.Equal(t, msg, got)
}

// The client's EOF reaches Read after the data, and stays.
func TestShapedConnPassesEOF(t *testing.T) {
	server, client := shapedPair(t, 5*time.Millisecond, 0)
	_, err := client.Write([]byte("last words"))
	require.NoError(t, err)
	require.NoError(t, client.(*net.TCPConn).CloseWrite())
	got, err := io.ReadAll(server)
	require.NoError(t, err)
	assert.Equal(t, "last words", string(got))
	_, err = server.Read(make([]byte, 1))
	assert.Equal(t, io.EOF, err)
}

// A client that stops reading makes Write wait once the line is full, and a
// write deadline ends that wait with a timeout.
func TestShapedConnBackpressureAndWriteDeadline(t *testing.T) {
	server, _ := shapedPair(t, time.Millisecond, 0)
	require.NoError(t, server.SetWriteDeadline(time.Now().Add(200*time.Millisecond)))
	// The client never reads: its socket buffers and then the line fill up.
	total := 0
	var err error
	for err == nil && total < 1<<30 {
		var n int
		n, err = server.Write(make([]byte, maxChunk))
		total += n
	}
	require.Error(t, err, "1 GiB went into a connection nobody reads")
	assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
	var ne net.Error
	require.True(t, errors.As(err, &ne) && ne.Timeout())
	t.Logf("buffered %d bytes before blocking", total)
}
