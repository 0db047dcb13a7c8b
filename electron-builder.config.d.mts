// The parts of the installer configuration its test reads.
declare const config: {
  appId: string;
  productName: string;
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  buildDependenciesFromSource: boolean;
  files: string[];
  electronFuses: Record<string, boolean>;
  nsis: Record<string, unknown>;
  win: { target: string[] };
  linux: { target: string[] };
  mac: { target: string[] };
};
export default config;
