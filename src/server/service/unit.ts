// The systemd unit that keeps ShopFlow running on the back-room PC: started at boot, restarted whatever happens, and
// shut in: it writes only its data folder, gains no privilege, and reaches no device but receipt printers, serial
// scales and pole displays.

export type UnitSpec = {
  /** The store server, or head office. */
  role: "store" | "hq";
  /** The command that starts shopflow: the binary, or bun and the entry file when run from source. */
  exec: readonly string[];
  user: string;
  port: number;
  /** The store's data folder (absolute). */
  dataDir?: string;
  /** Head office: the file holding its database URL, readable by root only (systemd reads it before starting). */
  environmentFile?: string;
};

export const unitName = (role: UnitSpec["role"]) => (role === "hq" ? "shopflow-hq.service" : "shopflow.service");

/** systemd's quoting for one word of ExecStart= */
function quote(word: string): string {
  if (/^[A-Za-z0-9_@+=:,./-]+$/.test(word)) return word;
  return `"${word.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/%/g, "%%").replace(/\$/g, "$$$$")}"`;
}

/** Under these the unit's ProtectHome= hides everything, so a data folder there is let through read-write instead. */
const inHome = (path: string) => /^\/(home|root|run\/user)(\/|$)/.test(path);

export function unitText(spec: UnitSpec): string {
  const store = spec.role === "store";
  const args = store ? ["serve", "--data", spec.dataDir!, "--port", String(spec.port)] : ["hq", "--port", String(spec.port)];
  const lowPort = spec.port < 1024;
  const lines = [
    "# Written by 'shopflow service install'; 'shopflow service uninstall' removes it.",
    "[Unit]",
    store ? "Description=ShopFlow store server (point of sale)" : "Description=ShopFlow head office",
    "Wants=network-online.target",
    store ? "After=network-online.target" : "After=network-online.target postgresql.service",
    // never give up restarting: a till that stays down costs sales
    "StartLimitIntervalSec=0",
    "",
    "[Service]",
    "Type=simple",
    `ExecStart=${[...spec.exec, ...args].map(quote).join(" ")}`,
    `User=${spec.user}`,
    ...(store ? [`WorkingDirectory=${spec.dataDir}`, `Environment=${quote(`SHOPFLOW_DATA=${spec.dataDir}`)}`] : []),
    ...(spec.environmentFile ? [`EnvironmentFile=${spec.environmentFile}`] : []),
    ...(store ? [] : ["StateDirectory=shopflow-hq", "WorkingDirectory=/var/lib/shopflow-hq"]),
    "Restart=always",
    "RestartSec=2",
    // SIGTERM lets the store finish the sale in hand, flush the print queue and close the database cleanly
    "KillSignal=SIGTERM",
    "TimeoutStopSec=30",
    "LimitNOFILE=65536",
    "",
    "# Hardening: no new privileges, a read-only system but for the data folder, a private /tmp, no home folders.",
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    ...(store ? [`ReadWritePaths=${quote(spec.dataDir!)}`] : []),
    "PrivateTmp=yes",
    store && inHome(spec.dataDir!) ? "ProtectHome=read-only" : "ProtectHome=yes",
    lowPort ? "CapabilityBoundingSet=CAP_NET_BIND_SERVICE" : "CapabilityBoundingSet=",
    lowPort ? "AmbientCapabilities=CAP_NET_BIND_SERVICE" : "AmbientCapabilities=",
    "ProtectKernelTunables=yes",
    "ProtectKernelModules=yes",
    "ProtectKernelLogs=yes",
    "ProtectControlGroups=yes",
    "ProtectClock=yes",
    "ProtectHostname=yes",
    "RestrictSUIDSGID=yes",
    "RestrictRealtime=yes",
    "RestrictNamespaces=yes",
    "LockPersonality=yes",
    "SystemCallArchitectures=native",
    "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
    "UMask=0027",
    ...(store
      ? [
          "",
          "# Printers, scales and pole displays: USB printers (/dev/usb/lp*), serial ports (ttyS*, ttyUSB*, ttyACM*).",
          "SupplementaryGroups=lp dialout",
          "DevicePolicy=closed",
          "DeviceAllow=char-usb rw",
          "DeviceAllow=char-ttyS rw",
          "DeviceAllow=char-ttyUSB rw",
          "DeviceAllow=char-ttyACM rw",
        ]
      : ["PrivateDevices=yes"]),
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ];
  return lines.join("\n");
}
