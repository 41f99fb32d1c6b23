package status

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"io"
)

// DefaultMaxListBytes bounds an inflated status list (DESIGN.md §5): 16 MiB, that is
// 134,217,728 one-bit entries.
const DefaultMaxListBytes = 16 << 20

// inflate reads the whole of rd, which decompresses src, refusing more than max bytes, and
// then refuses any compressed input left over after the stream's end.
func inflate(rd io.Reader, src *bytes.Reader, max int, kind string) ([]byte, error) {
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(rd, int64(max)+1))
	if err != nil {
		return nil, fmt.Errorf("status: %s: %w: %v", kind, ErrMalformed, err)
	}
	if n > int64(max) {
		return nil, fmt.Errorf("status: %s: %w: inflates past %d bytes", kind, ErrTooLarge, max)
	}
	if src.Len() != 0 {
		return nil, fmt.Errorf("status: %s: %w: data after the compressed stream", kind, ErrMalformed)
	}
	return buf.Bytes(), nil
}

// gunzip inflates one GZIP member (RFC 1952), at most max bytes.
func gunzip(data []byte, max int) ([]byte, error) {
	src := bytes.NewReader(data)
	zr, err := gzip.NewReader(src)
	if err != nil {
		return nil, fmt.Errorf("status: gzip: %w: %v", ErrMalformed, err)
	}
	zr.Multistream(false)
	return inflate(zr, src, max, "gzip")
}

// unzlib inflates one ZLIB stream (RFC 1950), at most max bytes.
func unzlib(data []byte, max int) ([]byte, error) {
	src := bytes.NewReader(data)
	zr, err := zlib.NewReader(src)
	if err != nil {
		return nil, fmt.Errorf("status: zlib: %w: %v", ErrMalformed, err)
	}
	return inflate(zr, src, max, "zlib")
}

func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func zlibBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
