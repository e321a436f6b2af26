// Generated from the server's OpenAPI schema (GET /api/schema/) by ui/scripts/gen-api-types.mjs.
// Do not edit by hand: run `make api-types`.

export type paths = {
    "/api/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["token_logout_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["user_me_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** @description Change preferences. `default_params` is merged into the stored one (send only the parameters to change; null removes `stop_z` or `max_holding`) and the merged set is validated as a whole. */
        patch: operations["user_me_patch"];
        trace?: never;
    };
    "/api/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["token_refresh_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["token_obtain_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/backtests/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["backtests_list"];
        put?: never;
        /** @description Backtest a pair (202 + task; the task's `result_url` is the run). Hedge: `params.hedge=dynamic` uses the causal Kalman filter; else `hedge_ratio`; else the pair's hedge; else OLS on the `formation_bars` bars before the first traded bar. Omitted parameters, costs and capital come from your preferences. */
        post: operations["backtest_list_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/backtests/{backtest_id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["backtest_detail_get"];
        put?: never;
        post?: never;
        delete: operations["backtest_detail_delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/backtests/{backtest_id}/lookahead": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Lookahead check of a finished backtest (task `lookahead`): the same backtest re-run on the data truncated after each cut bar must take the same decisions up to the cut. The report (`ok`, `differences`, `warnings` about hedge ratios fixed outside the backtest) is the task's result and the run's `lookahead`. */
        post: operations["backtest_lookahead_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/bars/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Bars per symbol, column-oriented. Coarser timeframes are resampled from the finest finer stored timeframe when none are stored. An unknown symbol answers 404. */
        get: operations["bar_list_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/bars/coverage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Coverage of the stored bars: per series (symbol, timeframe) the first and last bar and the bar count, in one query. Gaps per symbol: `GET symbols/<ticker>/quality`. */
        get: operations["bar_coverage_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/bars/fetch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Fetch bars from an HTTP provider as a task: 202 and Location /api/tasks/<id>/; per-symbol errors are in the task result. */
        post: operations["bar_fetch_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/bars/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Every recorded change of a stored bar (who, when, old and new OHLCV), newest first. Bars are shared data: every signed-in user may read the history. */
        get: operations["bar_history_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/bars/ingest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * @description Bars from a file or JSON rows. Bodies above ``TITAN_OFFLOAD_BODY_BYTES`` are parsed
         *     off the event loop: multipart in a thread (the parser is Python code, which lets the
         *     loop in between), JSON in a compute process (``titan_web.market.rowsbody``).
         */
        post: operations["bar_ingest_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/monitors/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["monitor_list_get"];
        put?: never;
        /** @description Watch a pair live with a parameter set (or adaptively, per regime). The strategy is warmed up on the stored history; signals start with the next new bar. */
        post: operations["monitor_list_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/monitors/{monitor_id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["monitor_detail_get"];
        put?: never;
        post?: never;
        delete: operations["monitor_detail_delete"];
        options?: never;
        head?: never;
        /** @description Pause (`active: false`) or resume a monitor. A paused monitor decides nothing; on resume it is warmed up again silently on the stored history, so bars that arrived during the pause produce no stale signals: the next signal is for a new bar. */
        patch: operations["monitor_detail_patch"];
        trace?: never;
    };
    "/api/pairs/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["pair_list_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pairs/{pair_id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["pair_detail_get"];
        put?: never;
        post?: never;
        /** @description Delete the pair; 409 naming the monitors while any watches it. */
        delete: operations["pair_detail_delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pairs/{pair_id}/spread": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Spread and z-score (static hedge ratio) and the Kalman dynamic hedge ratio. */
        get: operations["pair_spread_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pairs/analyze": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Engle-Granger (both directions, as statsmodels coint), Johansen, hedge ratios, half-life, Hurst, stability; computed off the event loop. */
        post: operations["pair_analyze_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/pairs/scan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Scan every pair of a universe as a task (202 + Location). Pairs passing the filters with p < significance_level are stored, tied to the scan. */
        post: operations["pair_scan_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/parameters/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["parameters_list"];
        put?: never;
        /** @description A parameter set (optionally for a pair and a regime label); 0 <= exit_z < entry_z < stop_z. */
        post: operations["parameter_set_list_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/parameters/{parameter_set_id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["parameter_set_detail_get"];
        put?: never;
        post?: never;
        delete: operations["parameter_set_detail_delete"];
        options?: never;
        head?: never;
        patch: operations["parameter_set_detail_patch"];
        trace?: never;
    };
    "/api/parameters/optimize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Grid search on the pair's window (task `optimize`). Stores the best set (and one per regime with `per_regime`) with `source=optimized`; the task result holds the grid summary (top rows), the deflated Sharpe ratio and the PBO. */
        post: operations["parameters_optimize_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/regimes/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["regimes_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/regimes/detect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Causal regimes of a pair (mean log return of its legs) or a symbol. `volatility` is computed within the request (201 when stored, 200 otherwise); `markov` fits models and runs as a task (`regimes`, 202). */
        post: operations["regime_detect_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/replay/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Play stored history forward as live for YOUR active monitors on `pair` (or on pairs with a leg in `symbols`), from `start` to `end`, `speed` bars per second: a task (kind `replay`); stop it with `POST /api/tasks/<id>/cancel`. The bar store is not changed. Each decision is stored as a signal with `source: replay` and the pair's next seq, then published to `pair:<id>` and your `signals` topic. */
        post: operations["replay_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/signals/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Stored signals of your pairs in (pair, seq) order, seq-cursor paginated: with `pair`, `next` continues with `since_seq`; otherwise with `after=<pair>:<seq>`. */
        get: operations["signal_list_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/symbols/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["symbol_list_get"];
        put?: never;
        post: operations["symbol_list_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/symbols/{ticker}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["symbol_detail_get"];
        put?: never;
        post?: never;
        delete: operations["symbol_detail_delete"];
        options?: never;
        head?: never;
        patch: operations["symbol_detail_patch"];
        trace?: never;
    };
    "/api/symbols/{ticker}/quality": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["symbol_quality_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tasks/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["task_list_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tasks/{task_id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["task_detail_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tasks/{task_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Cancel a run. A queued run is cancelled at once (200); a running one stops at its next chunk (202, `cancel_requested` true; follow the task). Cancelling a run that already succeeded, failed or was interrupted answers 409. */
        post: operations["task_cancel_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tasks/loop-lag": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Staff only: this process's event-loop lag (seconds) over the last minute. */
        get: operations["loop_lag_get"];
        put?: never;
        /** @description Staff only: report the lag and (by default) clear the samples. */
        post: operations["loop_lag_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tasks/selftest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Staff only: start a `selftest` run (chunked CPU work on the compute executor, or sleeping chunks with `sleep_ms`), optionally failing at chunk `fail_at` or killing its compute worker at chunk `crash_at`. */
        post: operations["task_selftest_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/walkforward/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["walkforward_list"];
        put?: never;
        /** @description Walk-forward analysis (task `walkforward`, progress per fold, a cancel stops between folds). Per fold, pair selection, hedge and parameters use the train window only; the test windows are traded and stitched. */
        post: operations["walk_forward_list_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/walkforward/{walkforward_id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["walk_forward_detail_get"];
        put?: never;
        post?: never;
        delete: operations["walk_forward_detail_delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
};
export type webhooks = Record<string, never>;
export type components = {
    schemas: {
        /**
         * @description * `aic` - aic
         *     * `bic` - bic
         *     * `t-stat` - t-stat
         * @enum {string}
         */
        AutolagEnum: "aic" | "bic" | "t-stat";
        /** @description A backtest run without its series. ``status`` is the task's while it is linked. */
        Backtest: {
            readonly id: number;
            readonly status: string;
            readonly error: string;
            /** Format: uuid */
            readonly task: string | null;
            readonly pair: number | null;
            readonly parameter_set: number | null;
            /** @description dependent leg y */
            readonly symbol_1: string;
            /** @description regressor x */
            readonly symbol_2: string;
            readonly timeframe: string;
            /**
             * Format: date-time
             * @description first traded bar
             */
            readonly start: string | null;
            /**
             * Format: date-time
             * @description last traded bar
             */
            readonly end: string | null;
            readonly adaptive: boolean;
            readonly params: unknown;
            readonly metrics: unknown;
            /** @description caveats of the result (in-sample hedge, truncated warm-up, short history, irregular spacing, gaps, thin coverage, few trades); empty when none */
            readonly warnings: components["schemas"]["Warning"][];
            readonly lookahead_ok: boolean | null;
            /** Format: date-time */
            readonly created_at: string;
            /** Format: date-time */
            readonly finished_at: string | null;
        };
        /** @description A backtest run with its result (``fields`` picks the parts). */
        BacktestDetail: {
            readonly id: number;
            readonly status: string;
            readonly error: string;
            /** Format: uuid */
            readonly task: string | null;
            readonly pair: number | null;
            readonly parameter_set: number | null;
            /** @description dependent leg y */
            readonly symbol_1: string;
            /** @description regressor x */
            readonly symbol_2: string;
            readonly timeframe: string;
            /**
             * Format: date-time
             * @description first traded bar
             */
            readonly start: string | null;
            /**
             * Format: date-time
             * @description last traded bar
             */
            readonly end: string | null;
            readonly adaptive: boolean;
            readonly params: unknown;
            readonly metrics: unknown;
            /** @description caveats of the result (in-sample hedge, truncated warm-up, short history, irregular spacing, gaps, thin coverage, few trades); empty when none */
            readonly warnings: components["schemas"]["Warning"][];
            readonly lookahead_ok: boolean | null;
            /** Format: date-time */
            readonly created_at: string;
            /** Format: date-time */
            readonly finished_at: string | null;
            readonly ts?: string[];
            readonly equity?: (number | null)[];
            readonly returns?: (number | null)[];
            /** @description {y: [...], x: [...]}: leg weights held at each close (fractions of equity) */
            readonly weights?: {
                [key: string]: number[];
            };
            readonly held?: number[];
            readonly zscore?: (number | null)[];
            readonly trades?: {
                [key: string]: unknown;
            }[];
            readonly hedge?: {
                [key: string]: unknown;
            };
            /** @description formation_start, formation_end, formation_bars (OLS hedge), warmup_start, warmup_bars (z-score warm-up from the history before the first traded bar), trading_start, trading_end, trading_bars */
            readonly window?: {
                [key: string]: unknown;
            };
            readonly labels?: number[];
            readonly switches?: {
                [key: string]: unknown;
            }[];
            readonly lookahead: unknown;
        };
        /** @description A serializer that refuses keys it has no writable field for (see the module notes). */
        BacktestListInputRequest: {
            /** @description one of your pairs (its legs and hedge) */
            pair?: number | null;
            /** @description leg y */
            symbol_1?: string;
            /** @description leg x */
            symbol_2?: string;
            /**
             * Format: double
             * @description fixed β (default: OLS on the formation)
             */
            hedge_ratio?: number | null;
            /** Format: double */
            intercept?: number | null;
            /**
             * @description bars before the first traded bar for the OLS hedge
             * @default 252
             */
            formation_bars: number;
            /** Format: date-time */
            start?: string | null;
            /** Format: date-time */
            end?: string | null;
            timeframe?: components["schemas"]["TimeframeEnum"];
            params?: components["schemas"]["StrategyParamsRequest"];
            parameter_set?: number | null;
            /**
             * @description switch parameter sets with the pair's causal regime
             * @default false
             */
            adaptive: boolean;
            /**
             * @description volatility or markov
             * @default volatility
             */
            regime_method: string;
            regime_options?: {
                [key: string]: unknown;
            };
            costs?: components["schemas"]["CostsRequest"];
            /** Format: double */
            capital?: number;
        };
        /** @description A serializer that refuses keys it has no writable field for (see the module notes). */
        BacktestLookaheadInputRequest: {
            /** @default 5 */
            cuts: number;
        };
        BacktestPage: {
            count: number;
            /** Format: uri */
            next: string | null;
            /** Format: uri */
            previous: string | null;
            results: components["schemas"]["Backtest"][];
        };
        BarChange: {
            id: number;
            /** Format: date-time */
            changed_at: string;
            /** @description empty: the system */
            user: string;
            symbol: string;
            timeframe: string;
            /** Format: date-time */
            ts: string;
            readonly old: {
                [key: string]: number | null;
            };
            readonly new: {
                [key: string]: number | null;
            };
            old_source: string;
            /** @description the source of the upload */
            new_source: string;
        };
        BarChangePage: {
            count: number;
            /** Format: uri */
            next: string | null;
            /** Format: uri */
            previous: string | null;
            results: components["schemas"]["BarChange"][];
        };
        BarCoverageOutput: {
            symbol: string;
            timeframe: string;
            /** Format: date-time */
            first: string;
            /** Format: date-time */
            last: string;
            count: number;
        };
        /** @description A serializer that refuses keys it has no writable field for (see the module notes). */
        BarFetchInputRequest: {
            provider: components["schemas"]["ProviderEnum"];
            symbols: string[];
            /** Format: date */
            start?: string | null;
            /** Format: date */
            end?: string | null;
            /**
             * @description stooq serves 1d only; yahoo every timeframe
             *
             *     * `1m` - 1m
             *     * `5m` - 5m
             *     * `15m` - 15m
             *     * `1h` - 1h
             *     * `1d` - 1d
             *     * `1w` - 1w
             *     * `1mo` - 1mo
             * @default 1d
             */
            timeframe: components["schemas"]["TimeframeEnum"];
        };
        /** @description A serializer that refuses keys it has no writable field for (see the module notes). */
        BarIngestInputRequest: {
            /**
             * Format: binary
             * @description CSV, CSV.gz or Parquet; long or wide layout
             */
            file?: string;
            rows?: {
                [key: string]: unknown;
            }[];
            /**
             * @description for files or rows without a timeframe column
             *
             *     * `1m` - 1m
             *     * `5m` - 5m
             *     * `15m` - 15m
             *     * `1h` - 1h
             *     * `1d` - 1d
             *     * `1w` - 1w
             *     * `1mo` - 1mo
             * @default 1d
             */
            timeframe: components["schemas"]["TimeframeEnum"];
            /** @description the symbol of a file or rows without a symbol column */
            symbol?: string;
            /**
             * @description zone of naive timestamps; null rejects them
             * @default UTC
             */
            naive_tz: string | null;
            /** @default abort */
            on_error: components["schemas"]["OnErrorEnum"];
            /** @default create */
            unknown_symbols: components["schemas"]["UnknownSymbolsEnum"];
            /**
             * @description a series whose spacing does not fit its timeframe: refuse it (reject) or store it under the timeframe its spacing shows (detect)
             *
             *     * `reject` - reject
             *     * `detect` - detect
             * @default reject
             */
            on_mismatch: components["schemas"]["OnMismatchEnum"];
        };
        BarIngestOutput: {
            rows: number;
            inserted: number;
            updated: number;
            unchanged: number;
            rejected: {
                [key: string]: unknown;
            }[];
            symbols_created: string[];
            timeframe_checks: {
                [key: string]: unknown;
            }[];
        };
        /**
         * @description * `in_sample_hedge` - in_sample_hedge
         *     * `warmup_truncated` - warmup_truncated
         *     * `short_history` - short_history
         *     * `irregular_spacing` - irregular_spacing
         *     * `gaps` - gaps
         *     * `thin_coverage` - thin_coverage
         *     * `few_trades` - few_trades
         * @enum {string}
         */
        CodeEnum: "in_sample_hedge" | "warmup_truncated" | "short_history" | "irregular_spacing" | "gaps" | "thin_coverage" | "few_trades";
        /** @description Costs; each omitted one comes from your preferences. */
        CostsRequest: {
            /** Format: double */
            cost_bps?: number;
            /** Format: double */
            slippage_bps?: number;
            /** Format: double */
            borrow_rate?: number;
        };
        /** @description A parameter grid (every axis a list; null in stop_z / max_holding disables them). */
        GridRequest: {
            lookback?: number[];
            entry_z?: number[];
            exit_z?: number[];
            stop_z?: (number | null)[];
            max_holding?: (number | null)[];
        };
        /**
         * @description * `static` - static
         *     * `dynamic` - dynamic
         * @enum {string}
         */
        HedgeEnum: "static" | "dynamic";
        /** @description A serializer that refuses keys it has no writable field for (see the module notes). */
        LoopLagInputRequest: {
            /** @default true */
            reset: boolean;
        };
        LoopLagOutput: {
            pid: number;
            monitoring: boolean;
            samples: number;
            /** Format: double */
            interval: number;
            /** Format: double */
            p50: number | null;
            /** Format: double */
            p99: number | null;
            /** Format: double */
            max: number | null;
            /** Format: double */
            mean: number | null;
            /** Format: double */
            total: number;
            compute: {
                [key: string]: unknown;
            };
            tasks: {
                [key: string]: unknown;
            };
        };
        /**
         * @description * `volatility` - volatility
         *     * `markov` - markov
         * @enum {string}
         */
        MethodEnum: "volatility" | "markov";
        Monitor: {
            readonly id: number;
            readonly pair_id: number;
            readonly symbol_1: string;
            readonly symbol_2: string;
            readonly timeframe: string;
            readonly parameter_set_id: number | null;
            /** @description Switch parameter sets with the regime. */
            adaptive?: boolean;
            active?: boolean;
            readonly last_ts: string | null;
            readonly position: number;
            /** Format: date-time */
            readonly created_at: string;
        };
        /** @description A serializer that refuses keys it has no writable field for (see the module notes). */
        MonitorListInputRequest: {
            pair: number;
            parameter_set?: number | null;
            /** @default false */
            adaptive: boolean;
            /** @default true */
            active: boolean;
        };
        MonitorPage: {
            count: number;
            /** Format: uri */
            next: string | null;
            /** Format: uri */
            previous: string | null;
            results: components["schemas"]["Monitor"][];
        };
        /** @enum {unknown} */
        NullEnum: null;
        /**
         * @description * `sharpe` - sharpe
         *     * `sortino` - sortino
         *     * `calmar` - calmar
         * @enum {string}
         */
        ObjectiveEnum: "sharpe" | "sortino" | "calmar";
        /**
         * @description * `abort` - abort
         *     * `skip` - skip
         * @enum {string}
         */
        OnErrorEnum: "abort" | "skip";
        /**
         * @description * `reject` - reject
         *     * `detect` - detect
         * @enum {string}
         */
        OnMismatchEnum: "reject" | "detect";
        PaginatedTaskList: {
            count: number;
            /** Format: uri */
            next: string | null;
            /** Format: uri */
            previous: string | null;
            results: components["schemas"]["TaskListOutput"][];
        };
        Pair: {
            readonly id: number;
            symbol_1: string;
            symbol_2: string;
            timeframe?: components["schemas"]["TimeframeLabelledEnum"];
            /** Format: date-time */
            start?: string | null;
            /** Format: date-time */
            end?: string | null;
            /** Format: double */
            hedge_ratio?: number | null;
            /** Format: double */
            intercept?: number | null;
            /** Format: double */
            tstat?: number | null;
            /** Format: double */
            pvalue?: number | null;
            /**
             * Format: double
             * @description Benjamini-Hochberg adjusted p-value.
             */
            qvalue?: number | null;
            /** Format: int64 */
            lag?: number | null;
            /** Format: double */
            half_life?: number | null;
            /** Format: double */
            correlation?: number | null;
            /** Format: double */
            hurst?: number | null;
            /** Format: double */
            stability_score?: number | null;
            is_cointegrated?: boolean;
            /** Format: uuid */
            readonly scan_id: string | null;
            /** Format: date-time */
            readonly created_at: string;
        };
        /** @description Options shared by pair analysis and universe scans. */
        PairAnalyzeInputRequest: {
            /** Format: date-time */
            start?: string | null;
            /** Format: date-time */
            end?: string | null;
            /** @default 1d */
            timeframe: components["schemas"]["TimeframeEnum"];
            /**
             * Format: double
             * @default 0.05
             */
            significance_level: number;
            /** Format: double */
            min_correlation?: number | null;
            /** @default aic */
            autolag: (components["schemas"]["AutolagEnum"] | components["schemas"]["NullEnum"]) | null;
            maxlag?: number | null;
            /** @description dependent leg y */
            symbol_1: string;
            /** @description regressor x */
            symbol_2: string;
            /**
             * @description store as one of your pairs
             * @default false
             */
            store: boolean;
        };
        PairDetail: {
            readonly id: number;
            symbol_1: string;
            symbol_2: string;
            timeframe?: components["schemas"]["TimeframeLabelledEnum"];
            /** Format: date-time */
            start?: string | null;
            /** Format: date-time */
            end?: string | null;
            /** Format: double */
            hedge_ratio?: number | null;
            /** Format: double */
            intercept?: number | null;
            /** Format: double */
            tstat?: number | null;
            /** Format: double */
            pvalue?: number | null;
            /**
             * Format: double
             * @description Benjamini-Hochberg adjusted p-value.
             */
            qvalue?: number | null;
            /** Format: int64 */
            lag?: number | null;
            /** Format: double */
            half_life?: number | null;
            /** Format: double */
            correlation?: number | null;
            /** Format: double */
            hurst?: number | null;
            /** Format: double */
            stability_score?: number | null;
            is_cointegrated?: boolean;
            /** Format: uuid */
            readonly scan_id: string | null;
            /** Format: date-time */
            readonly created_at: string;
            stats?: unknown;
        };
        PairPage: {
            count: number;
            /** Format: uri */
            next: string | null;
            /** Format: uri */
            previous: string | null;
            results: components["schemas"]["Pair"][];
        };
        /** @description Options shared by pair analysis and universe scans. */
        PairScanInputRequest: {
            /** Format: date-time */
            start?: string | null;
            /** Format: date-time */
            end?: string | null;
            /** @default 1d */
            timeframe: components["schemas"]["TimeframeEnum"];
            /**
             * Format: double
             * @default 0.05
             */
            significance_level: number;
            /** Format: double */
            min_correlation?: number | null;
            /** @default aic */
            autolag: (components["schemas"]["AutolagEnum"] | components["schemas"]["NullEnum"]) | null;
            maxlag?: number | null;
            symbols: string[];
            /** Format: double */
            max_half_life?: number | null;
            /**
             * Format: double
             * @default 0.05
             */
            fdr: number | null;
        };
        ParameterSet: {
            readonly id: number;
            readonly pair: number | null;
            readonly regime_method: string;
            readonly regime_label: number | null;
            readonly name: string;
            readonly lookback: number;
            /** Format: double */
            readonly entry_z: number;
            /** Format: double */
            readonly exit_z: number;
            /** Format: double */
            readonly stop_z: number | null;
            readonly max_holding: number | null;
            readonly hedge: string;
            readonly objective: string;
            /** Format: double */
            readonly score: number | null;
            /** @description manual or optimized */
            readonly source: string;
            /** Format: date-time */
            readonly created_at: string;
        };
        /** @description A serializer that refuses keys it has no writable field for (see the module notes). */
        ParameterSetListInputRequest: {
            pair?: number | null;
            /** @description volatility or markov (blank: no regime) */
            regime_method?: string;
            regime_label?: number | null;
            /** @default  */
            name: string;
            /** @default 60 */
            lookback: number;
            /**
             * Format: double
             * @default 2
             */
            entry_z: number;
            /**
             * Format: double
             * @default 0.5
             */
            exit_z: number;
            /**
             * Format: double
             * @default 4
             */
            stop_z: number | null;
            max_holding?: number | null;
            /** @default static */
            hedge: components["schemas"]["HedgeEnum"];
        };
        ParameterSetPage: {
            count: number;
            /** Format: uri */
            next: string | null;
            /** Format: uri */
            previous: string | null;
            results: components["schemas"]["ParameterSet"][];
        };
        /** @description A serializer that refuses keys it has no writable field for (see the module notes). */
        ParametersOptimizeInputRequest: {
            pair: number;
            /** Format: date-time */
            start?: string | null;
            /** Format: date-time */
            end?: string | null;
            grid?: components["schemas"]["GridRequest"];
            /** @default sharpe */
            objective: components["schemas"]["ObjectiveEnum"];
            /** @default 5 */
            min_trades: number;
            /**
             * @description also fit a set per regime label (stored per label)
             * @default false
             */
            per_regime: boolean;
            /**
             * @description volatility or markov
             * @default volatility
             */
            regime_method: string;
            regime_options?: {
                [key: string]: unknown;
            };
            /** @default 120 */
            min_regime_bars: number;
            /** @default 1 */
            execution_lag: number;
            costs?: components["schemas"]["CostsRequest"];
            /** @default  */
            name: string;
        };
        /** @description A serializer that refuses keys it has no writable field for (see the module notes). */
        PatchedMonitorDetailPatchRequest: {
            active?: boolean;
        };
        /** @description A serializer that refuses keys it has no writable field for (see the module notes). */
        PatchedParameterSetDetailInputRequest: {
            pair?: number | null;
            /** @description volatility or markov (blank: no regime) */
            regime_method?: string;
            regime_label?: number | null;
            /** @default  */
            name: string;
            /** @default 60 */
            lookback: number;
            /**
             * Format: double
             * @default 2
             */
            entry_z: number;
            /**
             * Format: double
             * @default 0.5
             */
            exit_z: number;
            /**
             * Format: double
             * @default 4
             */
            stop_z: number | null;
            max_holding?: number | null;
            /** @default static */
            hedge: components["schemas"]["HedgeEnum"];
        };
        /** @description A serializer that refuses keys it has no writable field for (see the module notes). */
        PatchedSymbolDetailInputRequest: {
            name?: string;
            exchange?: string;
            currency?: string;
            sector?: string;
            asset_class?: string;
            active?: boolean;
        };
        /** @description A serializer that refuses keys it has no writable field for (see the module notes). */
        PatchedUserMeInputRequest: {
            /** Format: email */
            email?: string;
            /** Format: decimal */
            capital?: string;
            /** Format: double */
            cost_bps?: number;
            /** Format: double */
            slippage_bps?: number;
            /** Format: double */
            borrow_rate?: number;
            timezone?: string;
            default_params?: components["schemas"]["StrategyDefaultsRequest"];
        };
        /** @description An RFC 9457 problem: `errors` names each invalid field or parameter. */
        Problem: {
            /** Format: uri */
            type: string;
            title: string;
            status: number;
            detail: string;
            errors?: {
                [key: string]: string[];
            };
        };
        /**
         * @description * `yahoo` - yahoo
         *     * `stooq` - stooq
         * @enum {string}
         */
        ProviderEnum: "yahoo" | "stooq";
        Regime: {
            readonly id: number;
            readonly pair: number | null;
            readonly symbol: string | null;
            readonly method: string;
            /** @description 0 = low volatility, higher = more volatile; -1 unknown */
            readonly label: number;
            readonly name: string;
            /** Format: date-time */
            readonly start: string;
            /** Format: date-time */
            readonly end: string | null;
            readonly stats: unknown;
            /** Format: uuid */
            readonly task: string | null;
            /** Format: date-time */
            readonly created_at: string;
        };
        /** @description A serializer that refuses keys it has no writable field for (see the module notes). */
        RegimeDetectInputRequest: {
            pair?: number | null;
            /** @description ticker, case-insensitive (stored upper case): ^[A-Z0-9^][A-Z0-9.\-^=_]{0,31}$ */
            symbol?: string;
            /** @default volatility */
            method: components["schemas"]["MethodEnum"];
            /** @description options of engine.regimes.volatility_regimes / markov_regimes */
            options?: {
                [key: string]: unknown;
            };
            /** Format: date-time */
            start?: string | null;
            /** Format: date-time */
            end?: string | null;
            timeframe?: components["schemas"]["TimeframeEnum"];
            /**
             * @description store the spans (replacing your previous ones)
             * @default true
             */
            store: boolean;
        };
        RegimeDetectOutput: {
            pair: number | null;
            symbol: string | null;
            timeframe: string;
            method: string;
            n_regimes: number;
            params: {
                [key: string]: unknown;
            };
            /** @description label of the last bar */
            current: number;
            label_counts: {
                [key: string]: number;
            };
            stored: boolean;
            spans: components["schemas"]["Regime"][];
            ts: string[];
            labels: number[];
            /** @description caveats of the result (in-sample hedge, truncated warm-up, short history, irregular spacing, gaps, thin coverage, few trades); empty when none */
            readonly warnings: components["schemas"]["Warning"][];
        };
        RegimePage: {
            count: number;
            /** Format: uri */
            next: string | null;
            /** Format: uri */
            previous: string | null;
            results: components["schemas"]["Regime"][];
        };
        /** @description A serializer that refuses keys it has no writable field for (see the module notes). */
        ReplayInputRequest: {
            pair?: number | null;
            symbols?: string[];
            /** Format: date-time */
            start: string;
            /** Format: date-time */
            end?: string | null;
            /**
             * Format: double
             * @description timestamps per second (0: as fast as possible)
             * @default 10
             */
            speed: number;
        };
        Signal: {
            /** Format: int64 */
            pair_id: number;
            /** Format: int64 */
            seq: number;
            /** Format: date-time */
            ts: string;
            /** Format: int64 */
            monitor_id: number;
            kind: string;
            /** Format: double */
            zscore?: number | null;
            /** Format: double */
            spread?: number | null;
            /** Format: double */
            price_1: number;
            /** Format: double */
            price_2: number;
            /** Format: int64 */
            regime?: number | null;
            /** Format: int64 */
            params_id?: number | null;
            /** @description 'live' (a new bar) or 'replay' (history played forward, POST /api/replay/). */
            source?: string;
            /** Format: date-time */
            readonly created_at: string;
        };
        SignalListOutput: {
            results: components["schemas"]["Signal"][];
            /** Format: uri */
            next: string | null;
        };
        /**
         * @description * `queued` - Queued
         *     * `running` - Running
         *     * `succeeded` - Succeeded
         *     * `failed` - Failed
         *     * `cancelled` - Cancelled
         *     * `interrupted` - Interrupted
         * @enum {string}
         */
        StatusEnum: "queued" | "running" | "succeeded" | "failed" | "cancelled" | "interrupted";
        /** @description A serializer that refuses keys it has no writable field for (see the module notes). */
        StrategyDefaultsRequest: {
            lookback: number;
            /** Format: double */
            entry_z: number;
            /** Format: double */
            exit_z: number;
            /** Format: double */
            stop_z?: number | null;
            max_holding?: number | null;
        };
        /**
         * @description Strategy parameters; each omitted one comes from the parameter set, then from your
         *     ``default_params``, then from the engine's defaults.
         */
        StrategyParamsRequest: {
            lookback?: number;
            /** Format: double */
            entry_z?: number;
            /** Format: double */
            exit_z?: number;
            /** Format: double */
            stop_z?: number | null;
            max_holding?: number | null;
            execution_lag?: number;
            hedge?: components["schemas"]["HedgeEnum"];
        };
        Symbol: {
            ticker: string;
            name?: string;
            exchange?: string;
            currency?: string;
            sector?: string;
            asset_class?: string;
            active?: boolean;
            /** Format: date-time */
            readonly created_at: string;
            /** Format: date-time */
            readonly updated_at: string;
        };
        /** @description A serializer that refuses keys it has no writable field for (see the module notes). */
        SymbolListInputRequest: {
            /** @description ticker, case-insensitive (stored upper case): ^[A-Z0-9^][A-Z0-9.\-^=_]{0,31}$ */
            ticker: string;
            name?: string;
            exchange?: string;
            currency?: string;
            sector?: string;
            asset_class?: string;
            active?: boolean;
        };
        SymbolPage: {
            count: number;
            /** Format: uri */
            next: string | null;
            /** Format: uri */
            previous: string | null;
            results: components["schemas"]["Symbol"][];
        };
        /** @description A task run as every endpoint returns it (docs/api.md). */
        Task: {
            /** Format: uuid */
            readonly id: string;
            readonly kind: string;
            readonly status: components["schemas"]["StatusEnum"];
            /** Format: double */
            readonly progress: number;
            readonly message: string;
            /** Format: date-time */
            readonly created_at: string;
            /** Format: date-time */
            readonly started_at: string | null;
            /** Format: date-time */
            readonly finished_at: string | null;
            readonly result_url: string;
            readonly error: string;
            readonly cancel_requested: boolean;
        };
        /** @description A task run as every endpoint returns it (docs/api.md). */
        TaskCancelOutput: {
            /** Format: uuid */
            readonly id: string;
            readonly kind: string;
            readonly status: components["schemas"]["StatusEnum"];
            /** Format: double */
            readonly progress: number;
            readonly message: string;
            /** Format: date-time */
            readonly created_at: string;
            /** Format: date-time */
            readonly started_at: string | null;
            /** Format: date-time */
            readonly finished_at: string | null;
            readonly result_url: string;
            readonly error: string;
            readonly cancel_requested: boolean;
        };
        /** @description A task run as every endpoint returns it (docs/api.md). */
        TaskDetailOutput: {
            /** Format: uuid */
            readonly id: string;
            readonly kind: string;
            readonly status: components["schemas"]["StatusEnum"];
            /** Format: double */
            readonly progress: number;
            readonly message: string;
            /** Format: date-time */
            readonly created_at: string;
            /** Format: date-time */
            readonly started_at: string | null;
            /** Format: date-time */
            readonly finished_at: string | null;
            readonly result_url: string;
            readonly error: string;
            readonly cancel_requested: boolean;
            readonly params: unknown;
            readonly result: unknown;
            /** Format: date-time */
            readonly heartbeat_at: string | null;
        };
        /** @description A task run as every endpoint returns it (docs/api.md). */
        TaskListOutput: {
            /** Format: uuid */
            readonly id: string;
            readonly kind: string;
            readonly status: components["schemas"]["StatusEnum"];
            /** Format: double */
            readonly progress: number;
            readonly message: string;
            /** Format: date-time */
            readonly created_at: string;
            /** Format: date-time */
            readonly started_at: string | null;
            /** Format: date-time */
            readonly finished_at: string | null;
            readonly result_url: string;
            readonly error: string;
            readonly cancel_requested: boolean;
        };
        /** @description A serializer that refuses keys it has no writable field for (see the module notes). */
        TaskSelftestInputRequest: {
            /** @default 10 */
            chunks: number;
            /**
             * Format: double
             * @default 50
             */
            chunk_ms: number;
            /**
             * Format: double
             * @default 0
             */
            sleep_ms: number;
            /** @default burn */
            workload: components["schemas"]["WorkloadEnum"];
            /** @default 100 */
            symbols: number;
            /** @default 1000 */
            bars: number;
            fail_at?: number | null;
            crash_at?: number | null;
        };
        /**
         * @description * `1m` - 1m
         *     * `5m` - 5m
         *     * `15m` - 15m
         *     * `1h` - 1h
         *     * `1d` - 1d
         *     * `1w` - 1w
         *     * `1mo` - 1mo
         * @enum {string}
         */
        TimeframeEnum: "1m" | "5m" | "15m" | "1h" | "1d" | "1w" | "1mo";
        /**
         * @description * `1m` - 1 minute
         *     * `5m` - 5 minutes
         *     * `15m` - 15 minutes
         *     * `1h` - 1 hour
         *     * `1d` - 1 day
         *     * `1w` - 1 week
         *     * `1mo` - 1 month
         * @enum {string}
         */
        TimeframeLabelledEnum: "1m" | "5m" | "15m" | "1h" | "1d" | "1w" | "1mo";
        /** @description A serializer that refuses keys it has no writable field for (see the module notes). */
        TokenLogoutInputRequest: {
            /** @description Required unless the request carries `X-Titan-Refresh: cookie`. */
            refresh?: string;
        };
        /** @description A serializer that refuses keys it has no writable field for (see the module notes). */
        TokenObtainInputRequest: {
            username: string;
            password: string;
            /**
             * @description Set the refresh token as an HttpOnly cookie instead of in the body.
             * @default false
             */
            cookie: boolean;
        };
        TokenPair: {
            access: string;
            /** @description Absent when the refresh token was set as a cookie. */
            refresh?: string;
            token_type: string;
            expires_in: number;
        };
        /** @description A serializer that refuses keys it has no writable field for (see the module notes). */
        TokenRefreshInputRequest: {
            /** @description Required unless the request carries `X-Titan-Refresh: cookie`. */
            refresh?: string;
        };
        /**
         * @description * `create` - create
         *     * `reject` - reject
         * @enum {string}
         */
        UnknownSymbolsEnum: "create" | "reject";
        UserMeOutput: {
            readonly id: number;
            /** @description Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only. */
            username: string;
            /** Email address */
            email?: string;
            /**
             * Staff status
             * @description Designates whether the user can log into this admin site.
             */
            is_staff?: boolean;
            /** Format: decimal */
            capital?: string;
            /**
             * Format: double
             * @description Commission per unit of traded weight, in basis points.
             */
            cost_bps?: number;
            /** Format: double */
            slippage_bps?: number;
            /**
             * Format: double
             * @description Annual short-borrow rate.
             */
            borrow_rate?: number;
            timezone?: string;
            default_params?: unknown;
        };
        WalkForward: {
            readonly id: number;
            readonly status: string;
            readonly error: string;
            /** Format: uuid */
            readonly task: string | null;
            readonly timeframe: string;
            readonly symbols: unknown;
            readonly params: unknown;
            readonly metrics: unknown;
            /** @description caveats of the result (in-sample hedge, truncated warm-up, short history, irregular spacing, gaps, thin coverage, few trades); empty when none */
            readonly warnings: components["schemas"]["Warning"][];
            /** Format: date-time */
            readonly created_at: string;
            /** Format: date-time */
            readonly finished_at: string | null;
        };
        /**
         * @description Walk-forward options (``engine.walkforward.WalkForwardConfig``); omitted ones take the
         *     engine's defaults (756-bar rolling train windows, 10 folds, top 5 pairs).
         */
        WalkForwardConfigRequest: {
            train_bars?: number;
            test_bars?: number;
            n_folds?: number;
            embargo?: number;
            window?: components["schemas"]["WindowEnum"];
            top_k?: number;
            /** Format: double */
            significance_level?: number;
            /** Format: double */
            min_correlation?: number;
            /** Format: double */
            max_half_life?: number;
            /** Format: double */
            fdr?: number;
            unique_symbols?: boolean;
            positive_beta?: boolean;
            grid?: components["schemas"]["GridRequest"];
            execution_lag?: number;
            objective?: components["schemas"]["ObjectiveEnum"];
            min_trades?: number;
            adaptive?: boolean;
            /** @description volatility or markov */
            regime_method?: string;
            regime_options?: {
                [key: string]: unknown;
            };
            min_regime_bars?: number;
            /** Format: double */
            periods_per_year?: number;
            pbo_splits?: number;
            n_trials?: number;
        };
        WalkForwardDetail: {
            readonly id: number;
            readonly status: string;
            readonly error: string;
            /** Format: uuid */
            readonly task: string | null;
            readonly timeframe: string;
            readonly symbols: unknown;
            readonly params: unknown;
            readonly metrics: unknown;
            /** @description caveats of the result (in-sample hedge, truncated warm-up, short history, irregular spacing, gaps, thin coverage, few trades); empty when none */
            readonly warnings: components["schemas"]["Warning"][];
            /** Format: date-time */
            readonly created_at: string;
            /** Format: date-time */
            readonly finished_at: string | null;
            /** @description per fold: ranges (bars and timestamps), status, pairs, parameter set, in-sample and out-of-sample metrics, trades, optimization summary */
            readonly folds?: {
                [key: string]: unknown;
            }[] | null;
            /** @description stitched out-of-sample path: ts, bars, returns, equity, labels */
            readonly stitched?: {
                [key: string]: unknown;
            } | null;
        };
        /** @description A serializer that refuses keys it has no writable field for (see the module notes). */
        WalkForwardListInputRequest: {
            /** @description the universe (default: every symbol with bars) */
            symbols?: string[];
            /** Format: date-time */
            start?: string | null;
            /** Format: date-time */
            end?: string | null;
            /** @default 1d */
            timeframe: components["schemas"]["TimeframeEnum"];
            config?: components["schemas"]["WalkForwardConfigRequest"];
            costs?: components["schemas"]["CostsRequest"];
            /** Format: double */
            capital?: number;
        };
        WalkForwardPage: {
            count: number;
            /** Format: uri */
            next: string | null;
            /** Format: uri */
            previous: string | null;
            results: components["schemas"]["WalkForward"][];
        };
        /** @description A caveat of a result: a stable ``code`` and a sentence with the numbers. */
        Warning: {
            readonly code: components["schemas"]["CodeEnum"];
            readonly message: string;
        };
        /**
         * @description * `rolling` - rolling
         *     * `anchored` - anchored
         * @enum {string}
         */
        WindowEnum: "rolling" | "anchored";
        /**
         * @description * `burn` - burn
         *     * `scan` - scan
         * @enum {string}
         */
        WorkloadEnum: "burn" | "scan";
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
};
export type $defs = Record<string, never>;
export interface operations {
    token_logout_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["TokenLogoutInputRequest"];
            };
        };
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The refresh token is invalid, expired, revoked or already used. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation takes. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests, or too many of your tasks already queued or running (the answer says the limit). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    user_me_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserMeOutput"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    user_me_patch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PatchedUserMeInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserMeOutput"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation takes. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    token_refresh_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["TokenRefreshInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The refresh token is invalid, expired, revoked or already used. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation takes. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests, or too many of your tasks already queued or running (the answer says the limit). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    token_obtain_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TokenObtainInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenPair"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Wrong username or password, or the account is disabled. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation takes. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests, or too many of your tasks already queued or running (the answer says the limit). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    backtests_list: {
        parameters: {
            query?: {
                adaptive?: boolean;
                created_after?: string;
                created_before?: string;
                /** @description page size (default 50, 1 to 500) */
                limit?: number;
                /** @description items to skip (default 0) */
                offset?: number;
                /** @description one or more of created_at, finished_at, id, comma-separated; prefix '-' for descending */
                ordering?: string;
                pair?: number;
                status?: ("cancelled" | "failed" | "interrupted" | "queued" | "running" | "succeeded")[];
                /** @description either leg's ticker */
                symbol?: string;
                timeframe?: "15m" | "1d" | "1h" | "1m" | "1mo" | "1w" | "5m";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BacktestPage"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    backtest_list_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["BacktestListInputRequest"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A symbol or object the request names does not exist, or is not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation takes. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The stored bars do not support it (too few, or the window is empty). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests, or too many of your tasks already queued or running (the answer says the limit). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    backtest_detail_get: {
        parameters: {
            query?: {
                /** @description comma-separated result parts to include (default all); `metrics` alone returns the run without its series */
                fields?: string;
            };
            header?: never;
            path: {
                backtest_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BacktestDetail"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such object, or not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    backtest_detail_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                backtest_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such object, or not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The run is still in progress; cancel its task first. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    backtest_lookahead_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                backtest_id: number;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["BacktestLookaheadInputRequest"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such object, or not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The backtest has not succeeded, or is already being checked. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation takes. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests, or too many of your tasks already queued or running (the answer says the limit). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    bar_list_get: {
        parameters: {
            query: {
                end?: string;
                limit?: number;
                /**
                 * @description asc: the oldest `limit` bars, oldest first; desc: the newest `limit` bars, newest first
                 *
                 *     * `asc` - asc
                 *     * `desc` - desc
                 */
                order?: "asc" | "desc";
                start?: string;
                /** @description comma-separated tickers, case-insensitive */
                symbols: string;
                /**
                 * @description * `1m` - 1m
                 *     * `5m` - 5m
                 *     * `15m` - 15m
                 *     * `1h` - 1h
                 *     * `1d` - 1d
                 *     * `1w` - 1w
                 *     * `1mo` - 1mo
                 */
                timeframe?: "1m" | "5m" | "15m" | "1h" | "1d" | "1w" | "1mo";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A named symbol does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    bar_coverage_get: {
        parameters: {
            query?: {
                /** @description comma-separated tickers (default: every stored series) */
                symbols?: string;
                /**
                 * @description * `1m` - 1m
                 *     * `5m` - 5m
                 *     * `15m` - 15m
                 *     * `1h` - 1h
                 *     * `1d` - 1d
                 *     * `1w` - 1w
                 *     * `1mo` - 1mo
                 */
                timeframe?: "1m" | "5m" | "15m" | "1h" | "1d" | "1w" | "1mo";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BarCoverageOutput"][];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    bar_fetch_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BarFetchInputRequest"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation takes. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests, or too many of your tasks already queued or running (the answer says the limit). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    bar_history_get: {
        parameters: {
            query?: {
                /** @description bars up to this time */
                end?: string;
                limit?: number;
                offset?: number;
                /** @description bars from this time */
                start?: string;
                symbol?: string;
                /**
                 * @description * `1m` - 1m
                 *     * `5m` - 5m
                 *     * `15m` - 15m
                 *     * `1h` - 1h
                 *     * `1d` - 1d
                 *     * `1w` - 1w
                 *     * `1mo` - 1mo
                 */
                timeframe?: "1m" | "5m" | "15m" | "1h" | "1d" | "1w" | "1mo";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BarChangePage"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    bar_ingest_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "multipart/form-data": components["schemas"]["BarIngestInputRequest"];
                "application/json": components["schemas"]["BarIngestInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BarIngestOutput"];
                };
            };
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation takes. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Rows or file rejected (each row's reason in `rejected`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests, or too many of your tasks already queued or running (the answer says the limit). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    monitor_list_get: {
        parameters: {
            query?: {
                /** @description page size (default 50, 1 to 500) */
                limit?: number;
                /** @description items to skip (default 0) */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MonitorPage"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    monitor_list_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MonitorListInputRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Monitor"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A symbol or object the request names does not exist, or is not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation takes. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The monitor cannot be warmed up on the stored bars of its pair. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    monitor_detail_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitor_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Monitor"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such object, or not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    monitor_detail_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitor_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such object, or not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    monitor_detail_patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitor_id: number;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PatchedMonitorDetailPatchRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Monitor"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such object, or not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation takes. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    pair_list_get: {
        parameters: {
            query?: {
                is_cointegrated?: boolean;
                /** @description page size (default 50, 1 to 500) */
                limit?: number;
                max_half_life?: number;
                max_pvalue?: number;
                max_qvalue?: number;
                min_correlation?: number;
                /** @description items to skip (default 0) */
                offset?: number;
                /** @description one or more of pvalue, qvalue, half_life, correlation, stability_score, hurst, created_at, comma-separated; prefix '-' for descending */
                ordering?: string;
                scan?: string;
                /** @description either leg's ticker */
                symbol?: string;
                timeframe?: "15m" | "1d" | "1h" | "1m" | "1mo" | "1w" | "5m";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PairPage"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    pair_detail_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                pair_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PairDetail"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such object, or not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    pair_detail_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                pair_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such object, or not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A monitor still watches the pair. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    pair_spread_get: {
        parameters: {
            query?: {
                end?: string | null;
                lookback?: number;
                start?: string | null;
            };
            header?: never;
            path: {
                pair_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such object, or not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The stored bars do not support it (too few, or the window is empty). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    pair_analyze_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PairAnalyzeInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A symbol or object the request names does not exist, or is not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation takes. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The stored bars do not support it (too few, or the window is empty). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    pair_scan_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PairScanInputRequest"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A symbol or object the request names does not exist, or is not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation takes. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests, or too many of your tasks already queued or running (the answer says the limit). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    parameters_list: {
        parameters: {
            query?: {
                /** @description page size (default 50, 1 to 500) */
                limit?: number;
                /** @description items to skip (default 0) */
                offset?: number;
                /** @description one or more of created_at, score, id, comma-separated; prefix '-' for descending */
                ordering?: string;
                pair?: number;
                regime_label?: number;
                regime_method?: string;
                source?: "manual" | "optimized";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParameterSetPage"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    parameter_set_list_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ParameterSetListInputRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParameterSet"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A symbol or object the request names does not exist, or is not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation takes. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    parameter_set_detail_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                parameter_set_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParameterSet"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such object, or not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    parameter_set_detail_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                parameter_set_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such object, or not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A monitor still trades with the parameter set. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    parameter_set_detail_patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                parameter_set_id: number;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PatchedParameterSetDetailInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ParameterSet"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such object, or not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation takes. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    parameters_optimize_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ParametersOptimizeInputRequest"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A symbol or object the request names does not exist, or is not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation takes. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The stored bars do not support it (too few, or the window is empty). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests, or too many of your tasks already queued or running (the answer says the limit). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    regimes_list: {
        parameters: {
            query?: {
                label?: number;
                /** @description page size (default 50, 1 to 500) */
                limit?: number;
                method?: "markov" | "volatility";
                /** @description items to skip (default 0) */
                offset?: number;
                /** @description one or more of start, created_at, label, comma-separated; prefix '-' for descending */
                ordering?: string;
                pair?: number;
                start_after?: string;
                start_before?: string;
                /** @description ticker */
                symbol?: string;
                task?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegimePage"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    regime_detect_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RegimeDetectInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegimeDetectOutput"];
                };
            };
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegimeDetectOutput"];
                };
            };
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A symbol or object the request names does not exist, or is not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation takes. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The stored bars do not support it (too few, or the window is empty). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests, or too many of your tasks already queued or running (the answer says the limit). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    replay_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReplayInputRequest"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A symbol or object the request names does not exist, or is not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation takes. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests, or too many of your tasks already queued or running (the answer says the limit). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    signal_list_get: {
        parameters: {
            query?: {
                /** @description cursor '<pair_id>:<seq>' (from next) */
                after?: string;
                end?: string;
                limit?: number;
                pair?: number;
                since_seq?: number;
                /**
                 * @description only live signals (new bars) or only replayed ones; default both
                 *
                 *     * `live` - live
                 *     * `replay` - replay
                 */
                source?: "live" | "replay";
                start?: string;
                until_seq?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignalListOutput"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such pair of yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    symbol_list_get: {
        parameters: {
            query?: {
                active?: boolean;
                asset_class?: string;
                /** @description page size (default 50, 1 to 500) */
                limit?: number;
                /** @description items to skip (default 0) */
                offset?: number;
                /** @description one or more of ticker, name, sector, created_at, comma-separated; prefix '-' for descending */
                ordering?: string;
                sector?: string;
                ticker?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SymbolPage"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    symbol_list_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SymbolListInputRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Symbol"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The ticker already exists. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation takes. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    symbol_detail_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                ticker: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Symbol"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such object, or not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    symbol_detail_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                ticker: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in, but not allowed (staff only). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such object, or not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Pairs or research results still use the symbol. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    symbol_detail_patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                ticker: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PatchedSymbolDetailInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Symbol"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Signed in, but not allowed (staff only). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such object, or not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation takes. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    symbol_quality_get: {
        parameters: {
            query?: {
                outlier_z?: number;
                stale_bars?: number;
                /**
                 * @description * `1m` - 1m
                 *     * `5m` - 5m
                 *     * `15m` - 15m
                 *     * `1h` - 1h
                 *     * `1d` - 1d
                 *     * `1w` - 1w
                 *     * `1mo` - 1mo
                 */
                timeframe?: "1m" | "5m" | "15m" | "1h" | "1d" | "1w" | "1mo";
            };
            header?: never;
            path: {
                ticker: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such object, or not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    task_list_get: {
        parameters: {
            query?: {
                created_after?: string;
                created_before?: string;
                /** @description only runs of this kind */
                kind?: string;
                /** @description page size (default 50, 1 to 500) */
                limit?: number;
                /** @description items to skip (default 0) */
                offset?: number;
                /** @description one or more of created_at, started_at, finished_at, kind, status, progress, comma-separated; prefix '-' for descending (default -created_at) */
                ordering?: string;
                /** @description only runs in these states (repeat the parameter for several) */
                status?: ("cancelled" | "failed" | "interrupted" | "queued" | "running" | "succeeded")[];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaginatedTaskList"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    task_detail_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskDetailOutput"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such object, or not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    task_cancel_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskCancelOutput"];
                };
            };
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskCancelOutput"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such object, or not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The run has already ended. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    loop_lag_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoopLagOutput"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Staff only. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    loop_lag_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["LoopLagInputRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoopLagOutput"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Staff only. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation takes. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    task_selftest_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["TaskSelftestInputRequest"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Staff only. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation takes. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests, or too many of your tasks already queued or running (the answer says the limit). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    walkforward_list: {
        parameters: {
            query?: {
                created_after?: string;
                created_before?: string;
                /** @description page size (default 50, 1 to 500) */
                limit?: number;
                /** @description items to skip (default 0) */
                offset?: number;
                /** @description one or more of created_at, finished_at, id, comma-separated; prefix '-' for descending */
                ordering?: string;
                status?: ("cancelled" | "failed" | "interrupted" | "queued" | "running" | "succeeded")[];
                timeframe?: "15m" | "1d" | "1h" | "1m" | "1mo" | "1w" | "5m";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WalkForwardPage"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    walk_forward_list_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["WalkForwardListInputRequest"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Task"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A symbol or object the request names does not exist, or is not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not of a media type this operation takes. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The stored bars do not support it (too few, or the window is empty). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests, or too many of your tasks already queued or running (the answer says the limit). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    walk_forward_detail_get: {
        parameters: {
            query?: {
                /** @description comma-separated result parts to include (default all); `metrics` alone returns the run without its series */
                fields?: string;
            };
            header?: never;
            path: {
                walkforward_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WalkForwardDetail"];
                };
            };
            /** @description Invalid input: a malformed body, or a field or query parameter that breaks its rules or is unknown (`errors` names each). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such object, or not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    walk_forward_detail_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                walkforward_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No response body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No valid access token (missing, expired, revoked or malformed). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such object, or not yours. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Accept header asks for something other than JSON. */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The run is still in progress; cancel its task first. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A service the request needs (the database, the channel layer) is unavailable or out of connections; retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
