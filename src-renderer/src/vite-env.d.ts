// Vite's `?url` imports (the pdf.js worker): the bundled file's URL, served by the app itself.
declare module '*?url' {
  const url: string;
  export default url;
}
