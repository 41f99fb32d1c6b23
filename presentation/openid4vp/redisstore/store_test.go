package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/credence-dev/credence/presentation/openid4vp"
	"github.com/credence-dev/credence/presentation/openid4vp/redisstore"
	"github.com/credence-dev/credence/vc"
)

// redisAddr starts a redis-server on a free loopback port for the test, or uses
// $CREDENCE_REDIS_ADDR. Without either the test skips, naming what is missing, unless
// $CREDENCE_REQUIRE_REDIS is set (as CI sets it), when it fails.
func redisAddr(t *testing.T) string {
	t.Helper()
	if addr := os.Getenv("CREDENCE_REDIS_ADDR"); addr != "" {
		return addr
	}
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CREDENCE_REQUIRE_REDIS") != "" {
			t.Fatal("redis-server not found, and CREDENCE_REQUIRE_REDIS is set")
		}
		t.Skip("redis-server not found (install Debian's redis-server, or set CREDENCE_REDIS_ADDR)")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for range 100 {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return addr
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("redis-server did not start on %s", addr)
	return ""
}

func TestSessionsAcrossReplicas(t *testing.T) {
	ctx := context.Background()
	addr := redisAddr(t)
	// Two clients stand for two verifier replicas.
	a := redis.NewClient(&redis.Options{Addr: addr})
	b := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { a.Close(); b.Close() })
	prefix := fmt.Sprintf("test-%d:", time.Now().UnixNano())
	sa := redisstore.NewSessions(a, redisstore.Options{Prefix: prefix})
	sb := redisstore.NewSessions(b, redisstore.Options{Prefix: prefix})
	s := &openid4vp.Session{State: "st-1", Nonce: "n-1", Expires: time.Now().Add(time.Minute), Request: []byte(`{"a":1}`), DecryptionKey: []byte{1, 2, 3}}
	if err := sa.Put(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := sb.Put(ctx, s); !errors.Is(err, openid4vp.ErrReplay) {
		t.Fatalf("second Put: %v, want ErrReplay", err)
	}
	got, err := sb.Get(ctx, "st-1")
	if err != nil || got.Nonce != "n-1" || string(got.Request) != `{"a":1}` || got.Done {
		t.Fatalf("Get on the other replica: %+v, %v", got, err)
	}
	// Ten concurrent completions on both replicas: exactly one wins.
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins, replays := 0, 0
	for i := range 10 {
		st := []*redisstore.Sessions{sa, sb}[i%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := st.Complete(ctx, "st-1", &openid4vp.Result{Credentials: map[string][]openid4vp.Disclosed{"age": {{Format: "dc+sd-jwt", Claims: map[string]any{"iat": 1780000000}}}}})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case errors.Is(err, openid4vp.ErrReplay):
				replays++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if wins != 1 || replays != 9 {
		t.Fatalf("%d completions accepted, %d refused", wins, replays)
	}
	got, err = sa.Get(ctx, "st-1")
	if err != nil || !got.Done || got.Result == nil || got.DecryptionKey != nil {
		t.Fatalf("completed session %+v, %v", got, err)
	}
	if err := sa.Complete(ctx, "missing", nil); !errors.Is(err, openid4vp.ErrNotFound) {
		t.Fatalf("Complete of an unknown session: %v", err)
	}
	if _, err := sa.Get(ctx, "missing"); !errors.Is(err, openid4vp.ErrNotFound) {
		t.Fatalf("Get of an unknown session: %v", err)
	}
	// Sessions expire with their TTL.
	short := &openid4vp.Session{State: "st-2", Expires: time.Now().Add(1100 * time.Millisecond)}
	if err := sa.Put(ctx, short); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	if _, err := sb.Get(ctx, "st-2"); !errors.Is(err, openid4vp.ErrNotFound) {
		t.Fatalf("expired session: %v", err)
	}
	if err := sa.Put(ctx, &openid4vp.Session{State: "st-3", Expires: time.Now().Add(-time.Second)}); !errors.Is(err, vc.ErrInvalidOptions) {
		t.Fatalf("Put of an expired session: %v", err)
	}
}

func TestReplayAcrossReplicas(t *testing.T) {
	ctx := context.Background()
	addr := redisAddr(t)
	a := redis.NewClient(&redis.Options{Addr: addr})
	b := redis.NewClient(&redis.Options{Addr: addr})
	t.Cleanup(func() { a.Close(); b.Close() })
	prefix := fmt.Sprintf("test-%d:", time.Now().UnixNano())
	ra, rb := redisstore.NewReplay(a, redisstore.Options{Prefix: prefix}), redisstore.NewReplay(b, redisstore.Options{Prefix: prefix})
	if err := ra.Use(ctx, "vp\x00aud\x00n1", time.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := rb.Use(ctx, "vp\x00aud\x00n1", time.Now().Add(time.Minute)); !errors.Is(err, vc.ErrReplay) {
		t.Fatalf("nonce reused on the other replica: %v, want ErrReplay", err)
	}
	if err := rb.Use(ctx, "vp\x00aud\x00n2", time.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
}
