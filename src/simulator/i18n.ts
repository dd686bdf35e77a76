/**
 * Translations of user-facing names (request types, groups, statuses, SLAs,
 * transitions, queues, fields), picked by the caller's Accept-Language header
 * as Jira picks the requesting user's language. Unknown text stays English.
 */

export type Lang = 'en' | 'de' | 'fr';

const TABLE: Readonly<Record<string, readonly [de: string, fr: string]>> = {
  // statuses
  'Waiting for support': ['Warten auf Support', 'En attente du support'],
  'Waiting for customer': ['Warten auf Kunden', 'En attente du client'],
  'In progress': ['In Arbeit', 'En cours'],
  Pending: ['Ausstehend', 'En suspens'],
  Escalated: ['Eskaliert', 'Escaladé'],
  Resolved: ['Gelöst', 'Résolu'],
  Closed: ['Geschlossen', 'Fermé'],
  Canceled: ['Abgebrochen', 'Annulé'],
  // SLAs and customer transitions
  'Time to first response': ['Zeit bis zur ersten Antwort', 'Délai de première réponse'],
  'Time to resolution': ['Zeit bis zur Lösung', 'Délai de résolution'],
  'Resolve this issue': ['Dieses Problem lösen', 'Résoudre ce problème'],
  'Cancel request': ['Anfrage abbrechen', 'Annuler la demande'],
  'Respond to support': ['Dem Support antworten', 'Répondre au support'],
  'Reopen request': ['Anfrage erneut öffnen', 'Rouvrir la demande'],
  // request types
  'Get IT help': ['IT-Hilfe anfordern', "Obtenir de l'aide informatique"],
  'Report a system problem': ['Systemproblem melden', 'Signaler un problème système'],
  'Request new hardware': ['Neue Hardware anfordern', 'Demander du nouveau matériel'],
  'Request new software': ['Neue Software anfordern', 'Demander un nouveau logiciel'],
  'Request access': ['Zugriff anfordern', 'Demander un accès'],
  'Reset a password': ['Passwort zurücksetzen', 'Réinitialiser un mot de passe'],
  'Set up VPN': ['VPN einrichten', 'Configurer le VPN'],
  'Onboard a new employee': ['Neue Mitarbeitende einarbeiten', 'Intégrer un nouvel employé'],
  'Offboard an employee': ['Austritt von Mitarbeitenden', "Gérer le départ d'un employé"],
  'Request time off': ['Urlaub beantragen', 'Demander un congé'],
  'Update personal details': ['Persönliche Daten ändern', 'Mettre à jour ses informations personnelles'],
  'Ask a benefits question': ['Frage zu Zusatzleistungen', 'Poser une question sur les avantages'],
  'Payroll question': ['Frage zur Gehaltsabrechnung', 'Question sur la paie'],
  'Report a building issue': ['Gebäudeproblem melden', 'Signaler un problème de bâtiment'],
  'Request office supplies': ['Büromaterial anfordern', 'Demander des fournitures de bureau'],
  'Book a meeting room': ['Besprechungsraum buchen', 'Réserver une salle de réunion'],
  'Request a parking permit': ['Parkausweis beantragen', 'Demander un permis de stationnement'],
  'Request a desk move': ['Arbeitsplatzumzug anfordern', 'Demander un déménagement de bureau'],
  'Submit an expense claim': ['Spesenabrechnung einreichen', 'Soumettre une note de frais'],
  'Request a purchase order': ['Bestellung anfordern', 'Demander un bon de commande'],
  'Invoice question': ['Frage zu einer Rechnung', 'Question sur une facture'],
  'Set up a new vendor': ['Neuen Lieferanten anlegen', 'Créer un nouveau fournisseur'],
  'Request a contract review': ['Vertragsprüfung anfordern', 'Demander une revue de contrat'],
  'Request an NDA': ['Geheimhaltungsvereinbarung anfordern', 'Demander un accord de confidentialité'],
  'Ask a compliance question': ['Compliance-Frage stellen', 'Poser une question de conformité'],
  'Register a trademark': ['Marke anmelden', 'Déposer une marque'],
  'Report a bug': ['Fehler melden', 'Signaler un bug'],
  'Ask a question': ['Frage stellen', 'Poser une question'],
  'Suggest a feature': ['Funktion vorschlagen', 'Suggérer une fonctionnalité'],
  'Billing issue': ['Abrechnungsproblem', 'Problème de facturation'],
  'Emailed request': ['Per E-Mail eingegangene Anfrage', 'Demande reçue par e-mail'],
  // request type groups
  'Common requests': ['Häufige Anfragen', 'Demandes courantes'],
  'Hardware and software': ['Hardware und Software', 'Matériel et logiciels'],
  'Logins and accounts': ['Anmeldungen und Konten', 'Connexions et comptes'],
  'Employee lifecycle': ['Mitarbeiterlebenszyklus', 'Cycle de vie des employés'],
  'Benefits and payroll': ['Zusatzleistungen und Gehalt', 'Avantages et paie'],
  'General HR': ['Allgemeine Personalfragen', 'RH général'],
  Building: ['Gebäude', 'Bâtiment'],
  'Workplace services': ['Arbeitsplatzservices', 'Services aux occupants'],
  Payments: ['Zahlungen', 'Paiements'],
  Purchasing: ['Einkauf', 'Achats'],
  Contracts: ['Verträge', 'Contrats'],
  Compliance: ['Compliance', 'Conformité'],
  Product: ['Produkt', 'Produit'],
  Account: ['Konto', 'Compte'],
  // queues
  'All open requests': ['Alle offenen Anfragen', 'Toutes les demandes ouvertes'],
  'Unassigned requests': ['Nicht zugewiesene Anfragen', 'Demandes non assignées'],
  'Assigned to me': ['Mir zugewiesen', 'Qui me sont assignées'],
  'Resolved requests': ['Gelöste Anfragen', 'Demandes résolues'],
  // fields and options
  Summary: ['Zusammenfassung', 'Résumé'],
  Description: ['Beschreibung', 'Description'],
  'What do you need?': ['Was benötigen Sie?', 'De quoi avez-vous besoin ?'],
  'Why do you need this?': ['Wofür benötigen Sie das?', 'Pourquoi en avez-vous besoin ?'],
  Impact: ['Auswirkung', 'Impact'],
  'Affected system': ['Betroffenes System', 'Système concerné'],
  'Number of people affected': ['Anzahl betroffener Personen', 'Nombre de personnes concernées'],
  'Needed by': ['Benötigt bis', 'Requis pour le'],
  Urgency: ['Dringlichkeit', 'Urgence'],
  'Cost center': ['Kostenstelle', 'Centre de coûts'],
  Critical: ['Kritisch', 'Critique'],
  High: ['Hoch', 'Élevée'],
  Medium: ['Mittel', 'Moyenne'],
  Low: ['Niedrig', 'Faible'],
};

export function translate(lang: Lang, text: string): string {
  if (lang === 'en') return text;
  const row = TABLE[text];
  return row ? row[lang === 'de' ? 0 : 1] : text;
}

/** Best supported language of an Accept-Language header, honouring q-values. */
export function parseAcceptLanguage(header: string | undefined): Lang {
  if (!header) return 'en';
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.trim().toLowerCase().split(/[-_]/)[0], q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const r of ranked) if (r.lang === 'en' || r.lang === 'de' || r.lang === 'fr') return r.lang;
  return 'en';
}
