package main

// A small Chrome DevTools Protocol client for the browser test: Chromium started
// headless with a debugging port, one page, commands over a WebSocket (RFC 6455,
// client side: masked text frames out, unmasked frames in).

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
)

// browser is a headless Chromium with one page under our control.
type browser struct {
	cmd  *exec.Cmd
	conn net.Conn
	rd   *bufio.Reader
	mu   sync.Mutex
	id   int
}

var devtoolsRE = regexp.MustCompile(`DevTools listening on (ws://\S+)`)

// startBrowser runs chromium (the binary at path) with a fresh profile in dir.
func startBrowser(ctx context.Context, path, dir string) (*browser, error) {
	cmd := exec.CommandContext(ctx, path, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
		"--hide-scrollbars", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
		"--user-data-dir="+dir, "--window-size=1000,800", "about:blank")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	b := &browser{cmd: cmd}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := devtoolsRE.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
	}()
	var wsURL string
	select {
	case wsURL = <-found:
	case <-time.After(30 * time.Second):
		b.close()
		return nil, errors.New("chromium did not print its DevTools address within 30 s")
	}
	u, err := url.Parse(wsURL)
	if err != nil {
		b.close()
		return nil, err
	}
	page, err := pageURL(ctx, u.Host)
	if err != nil {
		b.close()
		return nil, err
	}
	if err := b.dial(page); err != nil {
		b.close()
		return nil, err
	}
	return b, nil
}

// pageURL finds the WebSocket address of the browser's first page.
func pageURL(ctx context.Context, host string) (string, error) {
	for range 50 {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+host+"/json/list", nil)
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			var targets []struct {
				Type string `json:"type"`
				WS   string `json:"webSocketDebuggerUrl"`
			}
			derr := json.NewDecoder(res.Body).Decode(&targets)
			res.Body.Close()
			for _, t := range targets {
				if derr != nil {
					break
				}
				if t.Type == "page" && t.WS != "" {
					return t.WS, nil
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return "", errors.New("chromium has no page to drive")
}

func (b *browser) dial(wsURL string) error {
	u, err := url.Parse(wsURL)
	if err != nil {
		return err
	}
	conn, err := net.DialTimeout("tcp", u.Host, 10*time.Second)
	if err != nil {
		return err
	}
	var k [16]byte
	rand.Read(k[:])
	key := base64.StdEncoding.EncodeToString(k[:])
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", u.RequestURI(), u.Host, key)
	rd := bufio.NewReaderSize(conn, 1<<16)
	res, err := http.ReadResponse(rd, nil)
	if err != nil {
		conn.Close()
		return err
	}
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	if res.StatusCode != http.StatusSwitchingProtocols || res.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]) {
		conn.Close()
		return fmt.Errorf("websocket handshake: %s", res.Status)
	}
	b.conn, b.rd = conn, rd
	return nil
}

// close asks Chromium to quit (so that it stops its helper processes itself), and
// kills it if it has not within 10 s.
func (b *browser) close() {
	done := make(chan struct{})
	go func() { b.cmd.Wait(); close(done) }()
	if b.conn != nil {
		b.call("Browser.close", nil, nil)
		b.conn.Close()
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		b.cmd.Process.Kill()
		<-done
	}
}

// writeFrame sends one masked text frame.
func (b *browser) writeFrame(payload []byte) error {
	hdr := []byte{0x81}
	switch n := len(payload); {
	case n < 126:
		hdr = append(hdr, 0x80|byte(n))
	case n < 1<<16:
		hdr = append(hdr, 0x80|126, byte(n>>8), byte(n))
	default:
		hdr = append(hdr, 0x80|127)
		hdr = binary.BigEndian.AppendUint64(hdr, uint64(n))
	}
	var mask [4]byte
	rand.Read(mask[:])
	hdr = append(hdr, mask[:]...)
	masked := make([]byte, len(payload))
	for i, c := range payload {
		masked[i] = c ^ mask[i%4]
	}
	_, err := b.conn.Write(append(hdr, masked...))
	return err
}

// readMessage reads one whole message, joining continuation frames and answering pings.
func (b *browser) readMessage() ([]byte, error) {
	var msg []byte
	for {
		var h [2]byte
		if _, err := io.ReadFull(b.rd, h[:]); err != nil {
			return nil, err
		}
		fin, op := h[0]&0x80 != 0, h[0]&0x0f
		n := uint64(h[1] & 0x7f)
		switch n {
		case 126:
			var e [2]byte
			if _, err := io.ReadFull(b.rd, e[:]); err != nil {
				return nil, err
			}
			n = uint64(binary.BigEndian.Uint16(e[:]))
		case 127:
			var e [8]byte
			if _, err := io.ReadFull(b.rd, e[:]); err != nil {
				return nil, err
			}
			n = binary.BigEndian.Uint64(e[:])
		}
		if n > 64<<20 {
			return nil, errors.New("websocket frame too large")
		}
		data := make([]byte, n)
		if _, err := io.ReadFull(b.rd, data); err != nil {
			return nil, err
		}
		switch op {
		case 0x8:
			return nil, io.EOF
		case 0x9:
			continue // a ping: Chromium does not need the pong for a short test
		case 0xA:
			continue
		}
		msg = append(msg, data...)
		if fin {
			return msg, nil
		}
	}
}

// call sends one command and waits for its answer, skipping events.
func (b *browser) call(method string, params any, result any) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.id++
	id := b.id
	req, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err != nil {
		return err
	}
	b.conn.SetDeadline(time.Now().Add(30 * time.Second))
	if err := b.writeFrame(req); err != nil {
		return err
	}
	for {
		msg, err := b.readMessage()
		if err != nil {
			return fmt.Errorf("%s: %w", method, err)
		}
		var res struct {
			ID     int             `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  *struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal(msg, &res); err != nil || res.ID != id {
			continue
		}
		if res.Error != nil {
			return fmt.Errorf("%s: %s", method, res.Error.Message)
		}
		if result != nil {
			return json.Unmarshal(res.Result, result)
		}
		return nil
	}
}

// eval evaluates a JavaScript expression in the page and decodes its value.
func (b *browser) eval(expr string, out any) error {
	var res struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		Exception *struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	if err := b.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}, &res); err != nil {
		return err
	}
	if res.Exception != nil {
		return fmt.Errorf("%s: %s", expr, res.Exception.Text)
	}
	if out != nil {
		return json.Unmarshal(res.Result.Value, out)
	}
	return nil
}

func (b *browser) navigate(u string) error {
	return b.call("Page.navigate", map[string]any{"url": u}, nil)
}

// waitFor polls until the CSS selector matches an element of a loaded page.
func (b *browser) waitFor(sel string) error {
	expr := fmt.Sprintf("document.readyState === 'complete' && document.querySelector(%q) !== null", sel)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		var ok bool
		if err := b.eval(expr, &ok); err == nil && ok {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	var where string
	b.eval("location.href", &where)
	return fmt.Errorf("%s did not appear (at %s)", sel, where)
}

// click clicks the element the selector names, as a mouse would (the centre of its box).
func (b *browser) click(sel string) error {
	var box struct{ X, Y float64 }
	if err := b.eval(fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.scrollIntoView({block: "center"}); const r = e.getBoundingClientRect(); return {X: r.x + r.width/2, Y: r.y + r.height/2}; })()`, sel), &box); err != nil {
		return err
	}
	for _, typ := range []string{"mousePressed", "mouseReleased"} {
		if err := b.call("Input.dispatchMouseEvent", map[string]any{"type": typ, "x": box.X, "y": box.Y, "button": "left", "clickCount": 1}, nil); err != nil {
			return err
		}
	}
	return nil
}

// press sends a key to the focused element, as a keyboard would.
func (b *browser) press(key, code string, vk int, text string) error {
	down := map[string]any{"type": "keyDown", "key": key, "code": code, "windowsVirtualKeyCode": vk}
	if text != "" {
		down["text"] = text
	}
	if err := b.call("Input.dispatchKeyEvent", down, nil); err != nil {
		return err
	}
	return b.call("Input.dispatchKeyEvent", map[string]any{"type": "keyUp", "key": key, "code": code, "windowsVirtualKeyCode": vk}, nil)
}

// tabTo presses Tab until the element the selector names has the focus.
func (b *browser) tabTo(sel string) error {
	for range 40 {
		var ok bool
		if err := b.eval(fmt.Sprintf("document.activeElement === document.querySelector(%q)", sel), &ok); err != nil {
			return err
		}
		if ok {
			return nil
		}
		if err := b.press("Tab", "Tab", 9, ""); err != nil {
			return err
		}
	}
	return fmt.Errorf("%s cannot be reached with the Tab key", sel)
}

// waitText polls until the element the selector names shows want, and returns its text.
func (b *browser) waitText(sel, want string) (string, error) {
	expr := fmt.Sprintf("document.readyState === 'complete' && document.querySelector(%q) ? document.querySelector(%q).innerText : ''", sel, sel)
	var got string
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if err := b.eval(expr, &got); err == nil && strings.Contains(got, want) {
			return got, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	var where string
	b.eval("location.href", &where)
	return got, fmt.Errorf("%s does not show %q (at %s; it shows %q)", sel, want, where, strings.TrimSpace(got))
}

// screenshot writes a PNG of the whole page to path.
func (b *browser) screenshot(path string) error {
	var res struct {
		Data string `json:"data"`
	}
	if err := b.call("Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true}, &res); err != nil {
		return err
	}
	png, err := base64.StdEncoding.DecodeString(res.Data)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, png, 0o644)
}

func browserPath() (string, bool) {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, true
		}
	}
	return "", false
}
