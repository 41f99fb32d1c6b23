package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to write from the server while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// startMain runs the program on a loopback port and returns its address, its output,
// and a function that stops it (like SIGINT) and returns the exit code.
func startMain(t *testing.T, args ...string) (addr string, stdout, stderr *syncBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr = &syncBuffer{}, &syncBuffer{}
	ready := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"--addr", "127.0.0.1:0"}, args...), stdout, stderr, func(a string) { ready <- a })
	}()
	select {
	case addr = <-ready:
	case code := <-done:
		cancel()
		t.Fatalf("exited with %d before listening: %s", code, stderr.String())
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatal("not listening after 60 s")
	}
	var once sync.Once
	code := -1
	stop = func() int {
		once.Do(func() {
			cancel()
			select {
			case code = <-done:
			case <-time.After(30 * time.Second):
				t.Error("no clean shutdown within 30 s")
			}
		})
		return code
	}
	t.Cleanup(func() { stop() })
	return addr, stdout, stderr, stop
}

// The program parses its flags, listens, prints the issuers and a localConfig.cjs,
// answers, and shuts down cleanly when its context ends (SIGINT in main).
func TestMainStartsServesAndShutsDown(t *testing.T) {
	addr, stdout, stderr, stop := startMain(t)
	res, err := http.Post("http://"+addr+"/eddsa-jcs-2022/credentials/verify", "application/json", strings.NewReader(`{"verifiableCredential": {}}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("verify: %d %s", res.StatusCode, body)
	}
	if code := stop(); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "module.exports = ") || !strings.Contains(stdout.String(), "http://localhost:") {
		t.Errorf("no localConfig.cjs on stdout:\n%s", stdout.String())
	}
	for _, want := range []string{"msg=issuer", "did:key:z6Mk", "did:key:zDna", "did:key:z82L", "msg=listening", `msg="shutting down"`} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, stderr.String())
		}
	}
}

// --self-signed serves https on localhost with a generated certificate; status list URLs
// are https.
func TestMainSelfSignedHTTPS(t *testing.T) {
	dir := t.TempDir()
	lc := filepath.Join(dir, "localConfig.cjs")
	addr, _, stderr, stop := startMain(t, "--self-signed", "--local-config", lc, "--log-format", "json")
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	res, err := client.Get("https://" + addr + "/eddsa-rdfc-2022/status/revocation")
	if err != nil {
		t.Fatal(err)
	}
	var slc map[string]any
	err = json.NewDecoder(res.Body).Decode(&slc)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("status list: %d %v", res.StatusCode, err)
	}
	if id, _ := slc["id"].(string); !strings.HasPrefix(id, "https://localhost:") {
		t.Errorf("status list id %q", slc["id"])
	}
	if code := stop(); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	data, err := os.ReadFile(lc)
	if err != nil || !strings.Contains(string(data), "https://localhost:") {
		t.Fatalf("localConfig.cjs: %v %s", err, data)
	}
	if !strings.Contains(stderr.String(), `"msg":"listening"`) {
		t.Errorf("not JSON logs:\n%s", stderr.String())
	}
}

// --generate-config writes fresh keys; --config makes the server use them, so the DIDs
// printed are those of the file, and a second generation never overwrites it.
func TestMainConfigFileKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vcapi.json")
	var out, errOut bytes.Buffer
	if code := run(t.Context(), []string{"--generate-config", path}, &out, &errOut, nil); code != 0 {
		t.Fatalf("generate: %d %s", code, errOut.String())
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("config file: %v %v", fi, err)
	}
	if code := run(t.Context(), []string{"--generate-config", path}, &out, &errOut, nil); code != 1 {
		t.Fatalf("second generate: exit %d", code)
	}
	cfg, err := loadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := newIdentity(profiles()[0], cfg.Keys[profiles()[0].Path])
	if err != nil {
		t.Fatal(err)
	}
	_, stdout, _, stop := startMain(t, "--config", path)
	stop()
	if !strings.Contains(stdout.String(), want.DID) {
		t.Fatalf("issuer %s of the config file not in the localConfig:\n%s", want.DID, stdout.String())
	}
}

// Bad command lines exit 2 with a message; --help exits 0.
func TestMainFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"--help"}, 0},
		{[]string{"--tls-cert", "cert.pem"}, 2},
		{[]string{"--self-signed", "--tls-cert", "c", "--tls-key", "k"}, 2},
		{[]string{"--log-format", "xml"}, 2},
		{[]string{"--ecdsa-curve", "P-521"}, 2},
		{[]string{"extra"}, 2},
		{[]string{"--no-such-flag"}, 2},
		{[]string{"--addr", "127.0.0.1:0", "--config", "/nonexistent/vcapi.json"}, 1},
	} {
		var out, errOut bytes.Buffer
		if code := run(t.Context(), tc.args, &out, &errOut, nil); code != tc.code {
			t.Errorf("%v: exit %d, want %d: %s", tc.args, code, tc.code, errOut.String())
		}
	}
}

// The localConfig.cjs names every issuer with its DID, one verifier per cryptosuite
// (ECDSA ones for both curves), a holder for ecdsa-sd-2023 and one for bbs-2023, and the
// tags of the suites.
func TestLocalConfigShape(t *testing.T) {
	s := newTestServer(t, false)
	data, err := s.localConfig("P-384")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	start := strings.Index(text, "module.exports = ")
	if start < 0 || !strings.HasSuffix(text, ";\n") {
		t.Fatalf("not a CommonJS module:\n%s", text)
	}
	var cfg suiteConfig
	if err := json.Unmarshal([]byte(strings.TrimSuffix(text[start+len("module.exports = "):], ";\n")), &cfg); err != nil {
		t.Fatal(err)
	}
	impl := cfg.Implementations[0]
	if len(impl.Issuers) != 7 || len(impl.Verifiers) != 7 || len(impl.VPVerifiers) != 2 || len(impl.VCHolders) != 2 {
		t.Fatalf("%d issuers, %d verifiers, %d vpVerifiers, %d vcHolders", len(impl.Issuers), len(impl.Verifiers), len(impl.VPVerifiers), len(impl.VCHolders))
	}
	tags := map[string]int{}
	for _, e := range impl.Issuers {
		for _, tag := range e.Tags {
			tags[tag]++
		}
		if strings.Contains(e.Endpoint, "ecdsa-sd-2023") {
			continue // P-256 only
		}
		if len(e.SupportedECDSAKeyType) > 0 && (len(e.SupportedECDSAKeyType) != 1 || e.SupportedECDSAKeyType[0] != "P-384" || !strings.HasPrefix(e.ID, "did:key:z82L")) {
			t.Errorf("ECDSA issuer %+v, want the P-384 one only", e)
		}
		if !strings.HasPrefix(e.ID, "did:key:") || !strings.HasSuffix(e.Endpoint, "/credentials/issue") {
			t.Errorf("issuer %+v", e)
		}
	}
	for tag, n := range map[string]int{"vc2.0": 1, "BitstringStatusList": 1, "eddsa-rdfc-2022": 1, "eddsa-jcs-2022": 1,
		"ecdsa-rdfc-2019": 1, "ecdsa-jcs-2019": 1, "EnvelopingProof": 1, "ecdsa-sd-2023": 1, "bbs-2023": 1} {
		if tags[tag] != n {
			t.Errorf("tag %s on %d issuers, want %d", tag, tags[tag], n)
		}
	}
	for _, e := range impl.Verifiers {
		if strings.Contains(e.Endpoint, "ecdsa-") && !strings.Contains(e.Endpoint, "-sd-") && len(e.SupportedECDSAKeyType) != 2 {
			t.Errorf("ECDSA verifier %+v", e)
		}
	}
}
