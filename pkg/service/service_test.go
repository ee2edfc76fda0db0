package service

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A value that does not parse is an error naming the variable and the
// value, never a silent default.
func TestEnvValues(t *testing.T) {
	tests := []struct {
		name, key, value string
		read             func(key string)
		wantErr          bool
	}{
		{"integer", "NP_TEST_REPLICAS", "3", func(k string) { EnvInt(k, 1) }, false},
		{"integer spelt out", "NP_TEST_REPLICAS", "three", func(k string) { EnvInt(k, 1) }, true},
		{"duration", "NP_TEST_GRACE", "30s", func(k string) { EnvDuration(k, time.Second) }, false},
		{"duration without a unit", "NP_TEST_GRACE", "30", func(k string) { EnvDuration(k, time.Second) }, true},
		{"boolean", "NP_TEST_ROBOTS", "true", func(k string) { EnvBool(k, false) }, false},
		{"boolean spelt otherwise", "NP_TEST_ROBOTS", "yes please", func(k string) { EnvBool(k, false) }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			envErrs = nil
			t.Cleanup(func() { envErrs = nil })
			t.Setenv(tt.key, tt.value)
			tt.read(tt.key)
			err := EnvErr()
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("EnvErr = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, ErrBadEnv) || !strings.Contains(err.Error(), tt.key) || !strings.Contains(err.Error(), tt.value) {
				t.Fatalf("EnvErr = %v, want ErrBadEnv naming %s and %q", err, tt.key, tt.value)
			}
		})
	}
}

// Run refuses to start on a bad value before it connects to anything.
func TestRunRefusesBadEnv(t *testing.T) {
	envErrs = nil
	t.Cleanup(func() { envErrs = nil })
	t.Setenv("STREAM_REPLICAS", "three")
	var c Common
	c.Replicas = EnvInt("STREAM_REPLICAS", 1)
	c.NATSURL = "nats://127.0.0.1:1" // never dialled
	called := false
	err := Run("test", c, func(context.Context, *Env) error { called = true; return nil })
	if !errors.Is(err, ErrBadEnv) || !strings.Contains(err.Error(), "STREAM_REPLICAS") {
		t.Fatalf("Run = %v, want an error naming STREAM_REPLICAS", err)
	}
	if called {
		t.Error("Run ran the service")
	}
}

// Liveness is served while NATS is out of reach, readiness is not: a pod
// waiting for its server is alive, and must not be restarted for it.
func TestLiveBeforeNATS(t *testing.T) {
	envErrs = nil
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().String()
	ln.Close() // nothing listens there: NATS is down
	ln, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	admin := ln.Addr().String()
	ln.Close()
	c := Common{NATSURL: "nats://" + dead, MetricsAddr: admin, LogFormat: "text", LogLevel: "error", ShutdownGrace: time.Second}
	done := make(chan error, 1)
	go func() { done <- Run("test", c, func(context.Context, *Env) error { return nil }) }()

	status := func(path string) int {
		resp, err := http.Get("http://" + admin + path)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	deadline := time.Now().Add(10 * time.Second)
	for status("/healthz") != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("/healthz not served while NATS is down")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := status("/readyz"); got == http.StatusOK {
		t.Errorf("/readyz = %d while NATS is down, want not ready", got)
	}
	// SIGTERM, as Kubernetes sends it: Run gives up waiting and returns.
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err == nil {
			t.Error("Run returned nil without ever reaching NATS")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after SIGTERM")
	}
	if status("/healthz") != 0 {
		t.Error("admin server still serving after Run returned")
	}
}
