// Roles, in order of what they may do; each route names the least role it needs.
export const roles = ["cashier", "supervisor", "manager", "admin"] as const;
export type Role = (typeof roles)[number];

export function atLeast(role: Role, needed: Role): boolean {
  return roles.indexOf(role) >= roles.indexOf(needed);
}

export function isRole(x: string): x is Role {
  return (roles as readonly string[]).includes(x);
}
