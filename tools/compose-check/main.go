// compose-check loads a Compose file with compose-go, the Compose specification's
// reference loader (the one the docker compose CLI uses), and exits non-zero when the
// file does not load: schema violations, bad interpolation, unknown keys, broken anchors.
//
//	compose-check [-env KEY=VALUE ...] docker-compose.yml
//
// Variables for interpolation come from -env only (not from the caller's environment),
// so the result does not depend on the machine that runs it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
)

type envFlags map[string]string

func (e envFlags) String() string { return "" }
func (e envFlags) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("-env wants KEY=VALUE, got %q", v)
	}
	e[k] = val
	return nil
}

func main() {
	env := envFlags{}
	flag.Var(env, "env", "KEY=VALUE for interpolation (repeatable)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: compose-check [-env KEY=VALUE ...] <compose file>")
		os.Exit(2)
	}
	path, err := filepath.Abs(flag.Arg(0))
	if err != nil {
		fail(err)
	}
	content, err := os.ReadFile(path)
	if err != nil {
		fail(err)
	}
	details := types.ConfigDetails{
		WorkingDir:  filepath.Dir(path),
		ConfigFiles: []types.ConfigFile{{Filename: path, Content: content}},
		Environment: types.Mapping(env),
	}
	project, err := loader.LoadWithContext(context.Background(), details, func(o *loader.Options) {
		o.SetProjectName("compose-check", true)
		o.SkipResolveEnvironment = false
	})
	if err != nil {
		fail(err)
	}
	fmt.Printf("ok: %s (%d services)\n", path, len(project.Services))
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "compose-check: %v\n", err)
	os.Exit(1)
}
