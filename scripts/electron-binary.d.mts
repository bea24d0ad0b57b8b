export declare const projectRoot: string;
export declare function electronBinaryPath(): string | null;
export declare function electronInstallScript(): string | null;
