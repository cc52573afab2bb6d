// The store's pages a person may open, in the order the register's menu and the back office's bar show them: one
// list, so a page added here appears in both, and only for the roles its mount lets in.
import type { MenuItem } from "../../views/ui/context.ts";
import type { User } from "./records.ts";
import { atLeast, type Role } from "./roles.ts";

const PAGES: readonly (MenuItem & { role: Role; onRegister?: true })[] = [
  { href: "/", label: "Register", role: "cashier", onRegister: true },
  { href: "/sales", label: "Sales history", role: "cashier" },
  { href: "/reports", label: "Reports", role: "manager" },
  { href: "/products", label: "Products", role: "manager" },
  { href: "/stock/deliveries", label: "Receive delivery", role: "supervisor" },
  { href: "/stock/adjust", label: "Adjust stock", role: "supervisor" },
  { href: "/stock/counts", label: "Stock counts", role: "supervisor" },
  { href: "/stock/low", label: "Low stock", role: "supervisor" },
  { href: "/stock/labels", label: "Shelf labels", role: "supervisor" },
  { href: "/quick-keys", label: "Quick keys", role: "manager" },
  { href: "/tax-classes", label: "Tax classes", role: "manager" },
  { href: "/categories", label: "Categories", role: "manager" },
  { href: "/devices", label: "Devices", role: "manager" },
  { href: "/users", label: "Users", role: "manager" },
  { href: "/audit", label: "Audit log", role: "manager" },
  { href: "/settings", label: "Settings", role: "manager" },
];

/** What `user` may open from here (the register itself only from a paired register). */
export function menuFor(user: User | null, onRegister: boolean): MenuItem[] {
  if (!user) return [];
  return PAGES.filter((p) => atLeast(user.role, p.role) && (!p.onRegister || onRegister)).map(({ href, label }) => ({ href, label }));
}
