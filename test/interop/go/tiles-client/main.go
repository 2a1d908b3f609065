// Command tiles-client reads a Cuenta log through its c2sp.org/tlog-tiles endpoints with Go's
// own transparency-log code (golang.org/x/mod/sumdb/tlog and sumdb/note), an implementation
// independent of Cuenta's. It verifies the latest checkpoint's signature, recomputes the tree
// hash from the hash tiles, checks that every entry of every entry bundle hashes to its leaf,
// proves and checks one record, and checks consistency with an older checkpoint. It prints a
// JSON summary on success, and exits 1 with the reason on the first failure.
//
// Usage: tiles-client -server <url> -key <log verifier key> -index <n> -old <checkpoint file>
package main

import (
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const height = 8
const width = 1 << height

type checkpoint struct {
	origin string
	tree   tlog.Tree
}

type summary struct {
	Origin         string `json:"origin"`
	Size           int64  `json:"size"`
	RootHash       string `json:"rootHash"`
	TreeHash       string `json:"treeHashFromTiles"`
	EntriesChecked int64  `json:"entriesChecked"`
	Record         struct {
		Index int64  `json:"index"`
		Data  string `json:"data"`
	} `json:"record"`
	Consistency struct {
		OldSize int64 `json:"oldSize"`
		NewSize int64 `json:"newSize"`
	} `json:"consistency"`
	TilesFetched int `json:"tilesFetched"`
}

func main() {
	server := flag.String("server", "", "the Cuenta server's base URL")
	key := flag.String("key", "", "the log's verifier key (note format)")
	index := flag.Int64("index", 0, "the position of the record to prove")
	oldFile := flag.String("old", "", "a file holding an older signed checkpoint of the log")
	flag.Parse()
	if err := run(*server, *key, *index, *oldFile); err != nil {
		fmt.Fprintln(os.Stderr, "tiles-client:", err)
		os.Exit(1)
	}
}

func run(server, key string, index int64, oldFile string) error {
	verifier, err := note.NewVerifier(key)
	if err != nil {
		return fmt.Errorf("log key: %w", err)
	}
	verifiers := note.VerifierList(verifier)

	text, err := fetch(server, "checkpoint")
	if err != nil {
		return err
	}
	latest, err := openCheckpoint(text, verifiers)
	if err != nil {
		return fmt.Errorf("latest checkpoint: %w", err)
	}
	reader := &tileReader{server: server}
	hashes := tlog.TileHashReader(latest.tree, reader)

	var out summary
	out.Origin = latest.origin
	out.Size = latest.tree.N
	out.RootHash = base64.StdEncoding.EncodeToString(latest.tree.Hash[:])

	treeHash, err := tlog.TreeHash(latest.tree.N, hashes)
	if err != nil {
		return fmt.Errorf("tree hash from the tiles: %w", err)
	}
	if treeHash != latest.tree.Hash {
		return fmt.Errorf("the tiles hash to %v but the checkpoint says %v", treeHash, latest.tree.Hash)
	}
	out.TreeHash = base64.StdEncoding.EncodeToString(treeHash[:])

	// Every entry of every bundle must hash to its leaf in the (verified) level-0 tiles.
	var record []byte
	for n := int64(0); n*width < latest.tree.N; n++ {
		bundle := tlog.Tile{H: height, L: -1, N: n, W: widthOf(n, latest.tree.N)}
		data, err := fetch(server, c2spPath(bundle))
		if err != nil {
			return err
		}
		entries, err := splitBundle(data)
		if err != nil {
			return fmt.Errorf("%s: %w", c2spPath(bundle), err)
		}
		if len(entries) != bundle.W {
			return fmt.Errorf("%s holds %d entries, want %d", c2spPath(bundle), len(entries), bundle.W)
		}
		indexes := make([]int64, len(entries))
		for i := range entries {
			indexes[i] = tlog.StoredHashIndex(0, n*width+int64(i))
		}
		leaves, err := hashes.ReadHashes(indexes)
		if err != nil {
			return fmt.Errorf("leaf hashes of bundle %d: %w", n, err)
		}
		for i, entry := range entries {
			if tlog.RecordHash(entry) != leaves[i] {
				return fmt.Errorf("entry %d does not hash to its leaf", n*width+int64(i))
			}
			if n*width+int64(i) == index {
				record = entry
			}
		}
		out.EntriesChecked += int64(len(entries))
	}

	if record == nil {
		return fmt.Errorf("no record %d in a tree of %d", index, latest.tree.N)
	}
	proof, err := tlog.ProveRecord(latest.tree.N, index, hashes)
	if err != nil {
		return fmt.Errorf("prove record %d: %w", index, err)
	}
	if err := tlog.CheckRecord(proof, latest.tree.N, latest.tree.Hash, index, tlog.RecordHash(record)); err != nil {
		return fmt.Errorf("check record %d: %w", index, err)
	}
	out.Record.Index = index
	out.Record.Data = string(record)

	oldText, err := os.ReadFile(oldFile)
	if err != nil {
		return err
	}
	old, err := openCheckpoint(oldText, verifiers)
	if err != nil {
		return fmt.Errorf("old checkpoint: %w", err)
	}
	if old.origin != latest.origin {
		return fmt.Errorf("the old checkpoint is of %q, the latest of %q", old.origin, latest.origin)
	}
	treeProof, err := tlog.ProveTree(latest.tree.N, old.tree.N, hashes)
	if err != nil {
		return fmt.Errorf("prove consistency %d -> %d: %w", old.tree.N, latest.tree.N, err)
	}
	if err := tlog.CheckTree(treeProof, latest.tree.N, latest.tree.Hash, old.tree.N, old.tree.Hash); err != nil {
		return fmt.Errorf("check consistency %d -> %d: %w", old.tree.N, latest.tree.N, err)
	}
	out.Consistency.OldSize = old.tree.N
	out.Consistency.NewSize = latest.tree.N
	out.TilesFetched = reader.fetched

	return json.NewEncoder(os.Stdout).Encode(out)
}

// openCheckpoint verifies a signed note and parses its c2sp.org/tlog-checkpoint body:
// origin, size and base64 root hash, then optional extension lines.
func openCheckpoint(text []byte, verifiers note.Verifiers) (checkpoint, error) {
	n, err := note.Open(text, verifiers)
	if err != nil {
		return checkpoint{}, fmt.Errorf("signature: %w", err)
	}
	lines := strings.SplitN(n.Text, "\n", 4)
	if len(lines) < 4 {
		return checkpoint{}, fmt.Errorf("malformed checkpoint %q", n.Text)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 {
		return checkpoint{}, fmt.Errorf("malformed size %q", lines[1])
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize {
		return checkpoint{}, fmt.Errorf("malformed root hash %q", lines[2])
	}
	var hash tlog.Hash
	copy(hash[:], root)
	return checkpoint{origin: lines[0], tree: tlog.Tree{N: size, Hash: hash}}, nil
}

// widthOf is the width of entry bundle n in a tree of size entries.
func widthOf(n, size int64) int {
	if (n+1)*width <= size {
		return width
	}
	return int(size - n*width)
}

// c2spPath maps Go's sumdb tile path (tile/8/L/N[.p/W], entry bundles at tile/8/data/N) to
// c2sp.org/tlog-tiles, which drops the height and names entry bundles "entries". The index
// encoding (x001/x234/067) and the .p/W suffix are the same.
func c2spPath(t tlog.Tile) string {
	path := strings.TrimPrefix(t.Path(), fmt.Sprintf("tile/%d/", height))
	if strings.HasPrefix(path, "data/") {
		path = "entries/" + strings.TrimPrefix(path, "data/")
	}
	return "tile/" + path
}

// splitBundle splits an entry bundle: each entry prefixed with a big-endian uint16 length.
func splitBundle(data []byte) ([][]byte, error) {
	var entries [][]byte
	for len(data) > 0 {
		if len(data) < 2 {
			return nil, fmt.Errorf("truncated length prefix")
		}
		n := int(data[0])<<8 | int(data[1])
		if len(data) < 2+n {
			return nil, fmt.Errorf("entry %d claims %d bytes, %d remain", len(entries), n, len(data)-2)
		}
		entries = append(entries, data[2:2+n])
		data = data[2+n:]
	}
	return entries, nil
}

type tileReader struct {
	server  string
	fetched int
}

func (r *tileReader) Height() int { return height }

func (r *tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	data := make([][]byte, len(tiles))
	for i, t := range tiles {
		b, err := fetch(r.server, c2spPath(t))
		if err != nil {
			return nil, err
		}
		data[i] = b
		r.fetched++
	}
	return data, nil
}

func (r *tileReader) SaveTiles(tiles []tlog.Tile, data [][]byte) {}

func fetch(server, path string) ([]byte, error) {
	resp, err := http.Get(strings.TrimSuffix(server, "/") + "/log/" + path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("GET /log/%s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /log/%s: %s: %s", path, resp.Status, strings.TrimSpace(string(body)))
	}
	return body, nil
}
