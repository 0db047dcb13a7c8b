import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { NavigationContext } from './app/navigation';
import { SupplierNavigationContext, type SupplierNavigation } from './app/supplier-navigation';
import { SupplierScreen, SUPPLIER_SCREEN_TITLE } from './supplier/SupplierScreen';
import { HOME_SCREEN, SCREENS, screenById, type ScreenId } from './app/screens';
import { TokenBanners } from './app/TokenBanners';
import { DemoBanner } from './app/DemoBanner';
import { RestartNoticeBanner } from './app/RestartNoticeBanner';
import { DemoModeProvider } from './app/demo-mode';
import { WelcomePanel } from './app/WelcomePanel';
import { TokenStatusProvider } from './app/token-status';
import { SCREEN_TITLE_ID } from './ui/ScreenHeader';

const MAIN_ID = 'contenu-principal';

/**
 * The window's frame: a skip link, the title bar with the navigation between screens, the
 * demonstration marker and the token banners shown on every screen, then the current screen in
 * the main landmark.
 */
export function App() {
  const [current, setCurrent] = useState<ScreenId>(HOME_SCREEN);
  // a supplier's screen, shown in place of the current one (the register) while set
  const [supplierId, setSupplierId] = useState<number | null>(null);
  // bumped by each navigation: focus then goes to the new screen's title (not on first load)
  const [focusRequest, setFocusRequest] = useState(0);
  // bumped when the demonstration is entered or left: every screen is mounted again on the other register
  const [register, setRegister] = useState(0);
  const mainRef = useRef<HTMLElement>(null);
  const screen = screenById(current);

  const navigate = useCallback((to: ScreenId) => {
    setCurrent(to);
    setSupplierId(null);
    setFocusRequest((request) => request + 1);
  }, []);

  const registerSwitched = useCallback(() => {
    setRegister((generation) => generation + 1);
    navigate(HOME_SCREEN);
  }, [navigate]);

  const supplierNavigation = useMemo<SupplierNavigation>(
    () => ({
      open: (id: number) => {
        setSupplierId(id);
        setFocusRequest((request) => request + 1);
      },
      close: () => {
        setSupplierId(null);
        setFocusRequest((request) => request + 1);
      },
    }),
    [],
  );
  const windowTitle = supplierId === null ? screen.title : SUPPLIER_SCREEN_TITLE;

  useEffect(() => {
    document.title = `${windowTitle} — Vigie`;
  }, [windowTitle]);

  useEffect(() => {
    if (focusRequest === 0) return;
    document.getElementById(SCREEN_TITLE_ID)?.focus();
    mainRef.current?.scrollTo({ top: 0 });
  }, [focusRequest]);

  // no hash in the URL: the link moves focus itself
  const skipToMain = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    mainRef.current?.focus();
  };

  const Screen = screen.Component;
  return (
    <NavigationContext value={navigate}>
      <SupplierNavigationContext value={supplierNavigation}>
      <DemoModeProvider refreshKey={current} onSwitched={registerSwitched}>
      <TokenStatusProvider key={register} refreshKey={current}>
        <div className="app">
          <a className="skip-link" href={`#${MAIN_ID}`} onClick={skipToMain}>
            Aller au contenu principal
          </a>
          <header className="app-bar">
            <div className="app-brand">
              <span className="app-name">Vigie</span>
              <span className="app-tagline">Suivi des fournisseurs de la commune</span>
            </div>
            <nav className="app-nav" aria-label="Navigation principale">
              <ul>
                {SCREENS.map((item) => (
                  <li key={item.id}>
                    <button
                      type="button"
                      className="nav-item"
                      aria-current={item.id === current ? 'page' : undefined}
                      onClick={() => navigate(item.id)}
                    >
                      {item.label}
                    </button>
                  </li>
                ))}
              </ul>
            </nav>
          </header>
          <DemoBanner />
          <RestartNoticeBanner />
          <TokenBanners current={current} />
          {current === HOME_SCREEN && supplierId === null ? <WelcomePanel /> : null}
          <main id={MAIN_ID} ref={mainRef} className="app-main" tabIndex={-1} aria-labelledby={SCREEN_TITLE_ID}>
            {supplierId === null ? (
              <Screen key={screen.id} title={screen.title} />
            ) : (
              <SupplierScreen key={`fournisseur-${supplierId}`} id={supplierId} title={SUPPLIER_SCREEN_TITLE} />
            )}
          </main>
        </div>
      </TokenStatusProvider>
      </DemoModeProvider>
      </SupplierNavigationContext>
    </NavigationContext>
  );
}
