import { RegisterScreen } from './register/RegisterScreen';

/** The window's frame: a title bar naming the app, and the one screen there is for now. */
export function App() {
  return (
    <div className="app">
      <header className="app-bar">
        <span className="app-name">Vigie</span>
        <span className="app-tagline">Suivi des fournisseurs de la commune</span>
      </header>
      <RegisterScreen />
    </div>
  );
}
