export declare const REPO_ROOT: string;
export declare const WEB_DIST: string;
export declare function webBuildIsStale(): boolean;
export declare function ensureWebBuilt(options?: { quiet?: boolean }): string;
