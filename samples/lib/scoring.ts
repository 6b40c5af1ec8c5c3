// A helper module of the sample workspace, imported by score-lead.flow.ts: flows call the code they sit next to.
export interface Lead {
  email: string;
  employees: number;
  visits: number;
}

export function scoreLead(lead: Lead): number {
  const size = lead.employees > 100 ? 50 : 10;
  return size + Math.min(lead.visits, 10) * 5;
}

export function isFreeMailDomain(email: string): boolean {
  return /@(gmail|yahoo|outlook|hotmail)\./i.test(email);
}
