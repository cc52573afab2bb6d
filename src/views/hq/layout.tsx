// The shell of every head-office page: its navigation by role, and head office's own styles and script.
import type { Child } from "hono/jsx";
import { Csrf } from "../ui/card.tsx";
import { Document } from "../ui/document.tsx";
import { type HqRoleName, hqAtLeast, type Me, useHqPage, useMe } from "./context.ts";

export type Section =
  | "overview"
  | "catalog"
  | "categories"
  | "draft"
  | "releases"
  | "reconciliation"
  | "stock"
  | "low-stock"
  | "reports"
  | "dead-letters"
  | "stores"
  | "users"
  | "tokens"
  | "audit"
  | "account";

/** `live`: the page follows /events (htmx's SSE extension). */
function Shell(props: { title: string; bodyClass: string; live?: boolean | undefined; children: Child }) {
  return (
    <Document
      title={`${props.title} · ShopFlow head office`}
      htmxTimeoutMs={15000}
      stylesheet="/static/hq.css"
      scripts={props.live ? ["/static/hq.js", "/static/hx-sse.js"] : ["/static/hq.js"]}
      bodyClass={props.bodyClass}
      csrf={useHqPage().csrf}
    >
      {props.children}
    </Document>
  );
}

const nav: { section: Section; href: string; label: string; role: HqRoleName }[] = [
  { section: "overview", href: "/", label: "Stores", role: "viewer" },
  { section: "catalog", href: "/catalog", label: "Catalog", role: "viewer" },
  { section: "categories", href: "/catalog/categories", label: "Categories", role: "viewer" },
  { section: "draft", href: "/catalog/draft", label: "Draft release", role: "viewer" },
  { section: "releases", href: "/catalog/releases", label: "Releases", role: "viewer" },
  { section: "reconciliation", href: "/reconciliation", label: "Reconciliation", role: "viewer" },
  { section: "stock", href: "/stock", label: "Stock", role: "viewer" },
  { section: "low-stock", href: "/stock/low", label: "Low stock", role: "viewer" },
  { section: "reports", href: "/reports", label: "Reports", role: "viewer" },
  { section: "dead-letters", href: "/dead-letters", label: "Dead letters", role: "viewer" },
  { section: "users", href: "/users", label: "Users", role: "admin" },
  { section: "tokens", href: "/tokens", label: "API tokens", role: "admin" },
  { section: "audit", href: "/audit", label: "Audit log", role: "admin" },
];

export const may = (me: Me, role: HqRoleName) => hqAtLeast(me.role, role);

/** A signed-in page: the navigation for the person's role, their name, and a sign-out button. */
export function HqPage(props: { title: string; active: Section; children: Child; message?: string | undefined; live?: boolean }) {
  const me = useMe();
  return (
    <Shell title={props.title} bodyClass="hq" live={props.live}>
      <header class="topbar">
        <a class="brand" href="/">
          ShopFlow head office
        </a>
        <nav aria-label="Head office">
          {nav
            .filter((n) => may(me, n.role))
            .map((n) => (
              <a href={n.href} aria-current={n.section === props.active ? "page" : undefined}>
                {n.label}
              </a>
            ))}
        </nav>
        <form method="post" action="/logout" class="who">
          <Csrf />
          <span data-testid="signed-in-as">
            {me.name} · {me.role}
          </span>
          <a href="/account" aria-current={props.active === "account" ? "page" : undefined} data-testid="account-link">
            Account
          </a>
          <button type="submit" data-testid="sign-out">
            Sign out
          </button>
        </form>
      </header>
      <main class="hq-main">
        {props.message && (
          <p class="message ok" role="status" data-testid="page-message">
            {props.message}
          </p>
        )}
        {props.children}
      </main>
    </Shell>
  );
}

/** A page before sign-in: first-run setup and sign-in. */
export function HqCard(props: { title: string; message?: string | undefined; children: Child }) {
  return (
    <Shell title={props.title} bodyClass="hq card-page">
      <main class="card" aria-labelledby="card-title">
        <h1 id="card-title">{props.title}</h1>
        {props.message && (
          <p class="message error" role="alert" data-testid="form-message">
            {props.message}
          </p>
        )}
        {props.children}
      </main>
    </Shell>
  );
}

/** A labelled input with its sentence beside it when the value was refused. */
export function Field(props: {
  label: string;
  name: string;
  value?: string | undefined;
  error?: string | undefined;
  type?: string;
  required?: boolean;
  maxlength?: number;
  inputmode?: "numeric" | "decimal" | "text";
  placeholder?: string;
  autocomplete?: string;
  list?: string;
  hint?: string;
}) {
  const id = `f-${props.name}`;
  return (
    <label class={props.error ? "field invalid" : "field"} for={id}>
      <span>{props.label}</span>
      <input
        id={id}
        name={props.name}
        value={props.value ?? ""}
        type={props.type ?? "text"}
        required={props.required}
        maxlength={props.maxlength}
        inputmode={props.inputmode}
        placeholder={props.placeholder}
        autocomplete={props.autocomplete}
        list={props.list}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
        data-testid={`${props.name}-input`}
      />
      {props.hint && !props.error && <small>{props.hint}</small>}
      {props.error && (
        <small class="field-error" id={`${id}-error`} role="alert" data-testid={`${props.name}-error`}>
          {props.error}
        </small>
      )}
    </label>
  );
}

/** An instant as people at head office read it: 2026-12-01 06:00 UTC. */
export function utc(at: Date | string | null): string {
  if (at === null) return "never";
  const iso = typeof at === "string" ? at : at.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export const When = ({ at }: { at: Date }) => <time datetime={at.toISOString()}>{utc(at)}</time>;
