import { type ReactNode, useEffect, useRef } from "react";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteLoaderData,
} from "react-router";
import type { Route } from "./+types/root";
import favicon from "./assets/favicon.svg?url";
import { navigationFor } from "./auth/authorise.server";
import { getViewer } from "./auth/viewer.server";
import { useNonce } from "./nonce";
import { securityMiddleware } from "./security.server";
import appStyles from "./styles/app.scss?url";

export const SERVICE_NAME = "Boardledger";

export const middleware = [securityMiddleware];

export const links: Route.LinksFunction = () => [
  { rel: "stylesheet", href: appStyles },
  { rel: "icon", href: favicon, type: "image/svg+xml" },
];

/** Who is signed in, for the header; null when signed out (never fails for a signed-out request). */
export async function loader({ request }: Route.LoaderArgs) {
  const viewer = await getViewer(request);
  if (!viewer) return { viewer: null };
  return {
    viewer: {
      name: viewer.user.name,
      workspaceName: viewer.workspace.name,
      canSwitchWorkspace: viewer.workspaces.length > 1,
      navigation: navigationFor(viewer),
    },
  };
}

export type RootViewer = NonNullable<Awaited<ReturnType<typeof loader>>["viewer"]>;

export const meta: Route.MetaFunction = ({ error }) => [
  { title: error ? `${errorContent(error).title} – ${SERVICE_NAME}` : SERVICE_NAME },
];

/*
 * GOV.UK Frontend's own snippet: marks the body once JavaScript runs, so components style
 * themselves for it ("govuk-frontend-supported" only where ES modules work).
 */
const BODY_CLASS_SCRIPT =
  "document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');";

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const data = useRouteLoaderData<typeof loader>("root");
  const viewer = data?.viewer ?? null;

  return (
    <html lang="en-GB" className="govuk-template">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="theme-color" content="#1d70b8" />
        <Meta />
        <Links />
      </head>
      {/* The snippet below changes the body's class before React hydrates. */}
      <body className="govuk-template__body" suppressHydrationWarning>
        <script
          nonce={nonce}
          suppressHydrationWarning
          // biome-ignore lint/security/noDangerouslySetInnerHtml: GOV.UK Frontend's fixed snippet, no user data
          dangerouslySetInnerHTML={{ __html: BODY_CLASS_SCRIPT }}
        />
        <a href="#main-content" className="govuk-skip-link" data-module="govuk-skip-link">
          Skip to main content
        </a>
        <Header viewer={viewer} />
        <div className="govuk-width-container">
          <main className="govuk-main-wrapper" id="main-content">
            {children}
          </main>
        </div>
        <Footer />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function Header({ viewer }: { viewer: RootViewer | null }) {
  const { pathname } = useLocation();
  const navigation = viewer?.navigation ?? [];
  const isCurrent = (href: string) => pathname === href || pathname.startsWith(`${href}/`);

  return (
    <header className="govuk-template__header">
      {viewer && (
        <div className="govuk-generic-header app-header">
          <div className="govuk-generic-header__container govuk-width-container app-header__container">
            <div className="govuk-generic-header__logo">
              <a href="/" className="govuk-generic-header__homepage-link">
                {viewer.workspaceName}
              </a>
            </div>
            <div className="app-header__account">
              {viewer.canSwitchWorkspace && (
                <a href="/workspace" className="app-header__link">
                  Switch workspace
                </a>
              )}
              <a href="/account" className="app-header__user app-header__link">
                <span className="govuk-visually-hidden">Signed in as </span>
                {viewer.name}
                <span className="govuk-visually-hidden"> (your account)</span>
              </a>
              <form method="post" action="/sign-out" className="app-header__sign-out">
                <button type="submit" className="app-header__sign-out-button">
                  Sign out
                </button>
              </form>
            </div>
          </div>
        </div>
      )}
      <section
        aria-label="Service information"
        className="govuk-service-navigation"
        data-module="govuk-service-navigation"
      >
        <div className="govuk-width-container">
          <div className="govuk-service-navigation__container">
            <span className="govuk-service-navigation__service-name">
              <a href="/" className="govuk-service-navigation__link">
                {SERVICE_NAME}
              </a>
            </span>
            {navigation.length > 0 && (
              <nav aria-label="Menu" className="govuk-service-navigation__wrapper">
                {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: GOV.UK's markup: hidden until its JavaScript shows it on small screens */}
                <button
                  type="button"
                  className="govuk-service-navigation__toggle govuk-js-service-navigation-toggle"
                  aria-controls="navigation"
                  hidden
                  aria-hidden="true"
                >
                  Menu
                </button>
                <ul className="govuk-service-navigation__list" id="navigation">
                  {navigation.map((item) => {
                    const current = isCurrent(item.href);
                    return (
                      <li
                        key={item.href}
                        className={
                          current
                            ? "govuk-service-navigation__item govuk-service-navigation__item--active"
                            : "govuk-service-navigation__item"
                        }
                      >
                        <a
                          className="govuk-service-navigation__link"
                          href={item.href}
                          aria-current={current ? (pathname === item.href ? "page" : "true") : undefined}
                        >
                          {current ? (
                            <strong className="govuk-service-navigation__active-fallback">
                              {item.label}
                            </strong>
                          ) : (
                            item.label
                          )}
                        </a>
                      </li>
                    );
                  })}
                </ul>
              </nav>
            )}
          </div>
        </div>
      </section>
    </header>
  );
}

function Footer() {
  return (
    <footer className="govuk-footer">
      <div className="govuk-width-container">
        <div className="govuk-footer__meta">
          <div className="govuk-footer__meta-item govuk-footer__meta-item--grow">
            <span className="govuk-footer__licence-description">
              {SERVICE_NAME} keeps the plans, meetings, minutes and actions of criminal justice partnership
              boards in one place.
            </span>
          </div>
        </div>
      </div>
    </footer>
  );
}

/** GOV.UK Frontend's JavaScript enhances components once the page is interactive; pages work without it. */
function useGovukFrontend() {
  const { pathname, search } = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: run again after each navigation, for new content
  useEffect(() => {
    let cancelled = false;
    import("govuk-frontend")
      .then(({ initAll }) => {
        if (cancelled) return;
        // Components already set up (the header, kept across navigations) refuse a second
        // set-up with an error; that is expected, anything else is reported.
        initAll({
          onError: (error) => {
            if (!(error instanceof Error) || !/already initialised/i.test(error.message))
              console.error(error);
          },
        });
      })
      .catch((error: unknown) => console.error(error));
    return () => {
      cancelled = true;
    };
  }, [pathname, search]);
}

/**
 * After a client-side navigation, move focus to the new page's heading, as a full page load
 * would leave a screen reader at the top of the new page. Not on the first load, not when
 * the address names a fragment, and not when an error summary has taken focus.
 */
function useFocusOnNavigation() {
  const { pathname, search, hash } = useLocation();
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each new address
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (hash || document.activeElement?.closest(".govuk-error-summary")) return;
    const heading = document.querySelector<HTMLElement>("main h1");
    if (!heading) return;
    if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
  }, [pathname, search]);
}

export default function App() {
  useGovukFrontend();
  useFocusOnNavigation();
  return <Outlet />;
}

interface ErrorContent {
  status: number;
  title: string;
  body: ReactNode;
}

function errorContent(error: unknown): ErrorContent {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  if (status === 404) {
    return {
      status,
      title: "Page not found",
      body: (
        <>
          <p className="govuk-body">If you typed the web address, check it is correct.</p>
          <p className="govuk-body">If you pasted the web address, check you copied the entire address.</p>
          <p className="govuk-body">
            If the web address is correct or you selected a link or button, the page may have moved or you may
            not have access to it.{" "}
            <a href="/" className="govuk-link">
              Go to the start page
            </a>
            .
          </p>
        </>
      ),
    };
  }
  if (status === 503) {
    return {
      status,
      title: "Sorry, the service is unavailable",
      body: (
        <p className="govuk-body">You will be able to use the service later. Try again in a few minutes.</p>
      ),
    };
  }
  return {
    status,
    title: "Sorry, there is a problem with the service",
    body: (
      <>
        <p className="govuk-body">Try again later.</p>
        <p className="govuk-body">
          Anything you entered may not have been saved.{" "}
          <a href="/" className="govuk-link">
            Go to the start page
          </a>
          .
        </p>
      </>
    ),
  };
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  useGovukFrontend();
  const content = errorContent(error);
  const detail = import.meta.env.DEV && error instanceof Error ? (error.stack ?? error.message) : null;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">{content.title}</h1>
        {content.body}
        {detail && (
          <details className="govuk-details">
            <summary className="govuk-details__summary">
              <span className="govuk-details__summary-text">Error details (development only)</span>
            </summary>
            <div className="govuk-details__text">
              <pre className="app-error-detail">{detail}</pre>
            </div>
          </details>
        )}
      </div>
    </div>
  );
}
