/**
 * Word material for desks: what each kind of desk offers and what its
 * requests and articles talk about. English only; i18n.ts translates names.
 */

export interface ThemeRequestType {
  name: string;
  description: string;
  issueTypeId: string;
  /** Indexes into the theme's groups. */
  groups: number[];
  /** Custom field ids offered on the portal form. */
  fields: string[];
  approval?: boolean;
}

export interface Theme {
  spaceKey: string;
  groups: string[];
  requestTypes: ThemeRequestType[];
  subjects: string[];
  problems: string[];
  articles: Array<[title: string, excerpt: string]>;
}

export const DESK_BLUEPRINTS = [
  { key: 'TEST', name: 'Test Service Desk', theme: 'it' },
  { key: 'ITS', name: 'IT Service Desk', theme: 'it' },
  { key: 'HR', name: 'HR Help Center', theme: 'hr' },
  { key: 'FAC', name: 'Facilities Desk', theme: 'facilities' },
  { key: 'FIN', name: 'Finance Requests', theme: 'finance' },
  { key: 'LEG', name: 'Legal Desk', theme: 'legal' },
  { key: 'CS', name: 'Customer Support', theme: 'support' },
  { key: 'OPS', name: 'Operations Desk', theme: 'it' },
] as const;

export const THEMES: Readonly<Record<string, Theme>> = {
  it: {
    spaceKey: 'IT',
    groups: ['Common requests', 'Hardware and software', 'Logins and accounts'],
    requestTypes: [
      { name: 'Get IT help', description: 'Get assistance for general IT problems and questions.', issueTypeId: '10001', groups: [0], fields: ['customfield_10010', 'customfield_10011'] },
      { name: 'Report a system problem', description: 'Tell us about an outage or something that is broken.', issueTypeId: '10002', groups: [0], fields: ['customfield_10010', 'customfield_10012', 'customfield_10014'] },
      { name: 'Request new hardware', description: 'Laptops, monitors, phones and accessories.', issueTypeId: '10003', groups: [1], fields: ['customfield_10013', 'customfield_10015'], approval: true },
      { name: 'Request new software', description: 'Licences and installations of approved software.', issueTypeId: '10003', groups: [1], fields: ['customfield_10011', 'customfield_10015'], approval: true },
      { name: 'Request access', description: 'Access to systems, shared drives and applications.', issueTypeId: '10003', groups: [2], fields: ['customfield_10011', 'customfield_10013'], approval: true },
      { name: 'Reset a password', description: 'Locked out or forgot your password.', issueTypeId: '10001', groups: [0, 2], fields: ['customfield_10011'] },
      { name: 'Set up VPN', description: 'Remote access to the corporate network.', issueTypeId: '10001', groups: [1, 2], fields: ['customfield_10014'] },
    ],
    subjects: ['Laptop', 'Monitor', 'VPN client', 'Email account', 'Printer', 'Docking station', 'Wi-Fi', 'Headset', 'Shared drive', 'Calendar', 'Jira licence', 'Phone'],
    problems: ['is not working', 'keeps disconnecting', 'needs replacing', 'is very slow', 'shows an error on start', 'access needed for the new team member', 'stopped syncing', 'needs an upgrade'],
    articles: [
      ['How to reset your password', 'Use the self-service portal to reset a forgotten password in a few steps.'],
      ['Connecting to the VPN', 'Install the VPN client and sign in with your corporate account to work remotely.'],
      ['Setting up multi-factor authentication', 'Protect your account by adding an authenticator app as a second factor.'],
      ['Requesting new hardware', 'Hardware requests need manager approval and usually ship within five days.'],
      ['Printer troubleshooting', 'Most printer problems are fixed by clearing the queue and restarting the printer.'],
      ['Working with shared drives', 'Shared drives keep team files in one place with access managed per team.'],
    ],
  },
  hr: {
    spaceKey: 'HR',
    groups: ['Employee lifecycle', 'Benefits and payroll', 'General HR'],
    requestTypes: [
      { name: 'Onboard a new employee', description: 'Prepare accounts, equipment and a desk for a new starter.', issueTypeId: '10004', groups: [0], fields: ['customfield_10013', 'customfield_10015'], approval: true },
      { name: 'Offboard an employee', description: 'Plan the last day and return of company property.', issueTypeId: '10004', groups: [0], fields: ['customfield_10013'] },
      { name: 'Request time off', description: 'Holidays, parental leave and unpaid leave.', issueTypeId: '10004', groups: [1, 2], fields: ['customfield_10013', 'customfield_10012'], approval: true },
      { name: 'Update personal details', description: 'Address, bank account or emergency contact changes.', issueTypeId: '10001', groups: [2], fields: ['customfield_10011'] },
      { name: 'Ask a benefits question', description: 'Pension, health insurance and other benefits.', issueTypeId: '10001', groups: [1], fields: ['customfield_10014'] },
      { name: 'Payroll question', description: 'Questions about your payslip or salary payment.', issueTypeId: '10001', groups: [1], fields: ['customfield_10010', 'customfield_10014'] },
    ],
    subjects: ['Payslip', 'Parental leave', 'Pension plan', 'Health insurance', 'Employment contract', 'Home office allowance', 'Training budget', 'Reference letter'],
    problems: ['question', 'needs correction', 'request for next month', 'update required', 'has not arrived', 'clarification needed'],
    articles: [
      ['Requesting time off', 'Submit leave requests at least two weeks in advance through the portal.'],
      ['Understanding your payslip', 'A line-by-line explanation of the items on your monthly payslip.'],
      ['Benefits overview', 'All benefits available to permanent employees and how to enrol.'],
      ['Onboarding checklist', 'What managers prepare before the first day of a new employee.'],
    ],
  },
  facilities: {
    spaceKey: 'FAC',
    groups: ['Building', 'Workplace services'],
    requestTypes: [
      { name: 'Report a building issue', description: 'Heating, lighting, leaks and other building problems.', issueTypeId: '10002', groups: [0], fields: ['customfield_10010', 'customfield_10011'] },
      { name: 'Request office supplies', description: 'Stationery, chairs and desk accessories.', issueTypeId: '10003', groups: [1], fields: ['customfield_10012'] },
      { name: 'Book a meeting room', description: 'Large rooms and event spaces that need setup.', issueTypeId: '10003', groups: [1], fields: ['customfield_10013'] },
      { name: 'Request a parking permit', description: 'Permits for the staff car park.', issueTypeId: '10003', groups: [1], fields: ['customfield_10013', 'customfield_10015'], approval: true },
      { name: 'Request a desk move', description: 'Move your desk or equipment to another floor.', issueTypeId: '10003', groups: [0, 1], fields: ['customfield_10013', 'customfield_10012'] },
    ],
    subjects: ['Air conditioning', 'Light', 'Kitchen tap', 'Elevator', 'Meeting room screen', 'Office chair', 'Door badge reader', 'Window blind'],
    problems: ['is broken on floor 3', 'is leaking', 'makes a loud noise', 'needs repair', 'does not work in room 2.14', 'replacement requested'],
    articles: [
      ['Booking meeting rooms', 'Rooms for more than twelve people are booked through the facilities desk.'],
      ['Building access and badges', 'Lost badges are replaced at reception during office hours.'],
      ['Parking at the office', 'Parking permits are issued per quarter and need approval.'],
    ],
  },
  finance: {
    spaceKey: 'FIN',
    groups: ['Payments', 'Purchasing'],
    requestTypes: [
      { name: 'Submit an expense claim', description: 'Get reimbursed for business expenses.', issueTypeId: '10003', groups: [0], fields: ['customfield_10012', 'customfield_10013', 'customfield_10015'], approval: true },
      { name: 'Request a purchase order', description: 'Purchase orders for new vendors or large orders.', issueTypeId: '10003', groups: [1], fields: ['customfield_10012', 'customfield_10015'], approval: true },
      { name: 'Invoice question', description: 'Questions about incoming or outgoing invoices.', issueTypeId: '10001', groups: [0], fields: ['customfield_10011'] },
      { name: 'Set up a new vendor', description: 'Register a supplier in the payment system.', issueTypeId: '10003', groups: [1], fields: ['customfield_10011', 'customfield_10014'] },
    ],
    subjects: ['Travel expenses', 'Invoice', 'Purchase order', 'Vendor payment', 'Corporate card', 'Budget transfer', 'Conference fee'],
    problems: ['needs approval', 'was rejected', 'is overdue', 'has the wrong amount', 'question', 'for the Q3 project'],
    articles: [
      ['Expense policy', 'Which expenses are reimbursed and which receipts are required.'],
      ['Purchase order process', 'Orders above the approval limit need a purchase order before ordering.'],
      ['Corporate card guide', 'How to use, report and reconcile the corporate card.'],
    ],
  },
  legal: {
    spaceKey: 'LEG',
    groups: ['Contracts', 'Compliance'],
    requestTypes: [
      { name: 'Request a contract review', description: 'Review of customer, vendor or partner contracts.', issueTypeId: '10003', groups: [0], fields: ['customfield_10013', 'customfield_10014'] },
      { name: 'Request an NDA', description: 'Standard non-disclosure agreements.', issueTypeId: '10003', groups: [0], fields: ['customfield_10011'] },
      { name: 'Ask a compliance question', description: 'Data protection, export control and policies.', issueTypeId: '10001', groups: [1], fields: ['customfield_10010'] },
      { name: 'Register a trademark', description: 'Protect product names and logos.', issueTypeId: '10003', groups: [0, 1], fields: ['customfield_10015'], approval: true },
    ],
    subjects: ['Customer contract', 'Vendor agreement', 'NDA', 'Data processing agreement', 'Privacy notice', 'Software licence'],
    problems: ['review needed', 'needs signature', 'renewal', 'redline comments', 'question about liability', 'urgent review before Friday'],
    articles: [
      ['Contract review turnaround', 'Standard contracts are reviewed within three working days.'],
      ['Using the NDA template', 'The mutual NDA template covers most partner conversations.'],
      ['Data protection basics', 'How we handle personal data under the privacy policy.'],
    ],
  },
  support: {
    spaceKey: 'CS',
    groups: ['Product', 'Account'],
    requestTypes: [
      { name: 'Report a bug', description: 'Something in the product does not work as expected.', issueTypeId: '10002', groups: [0], fields: ['customfield_10010', 'customfield_10011', 'customfield_10014'] },
      { name: 'Ask a question', description: 'How-to questions about the product.', issueTypeId: '10001', groups: [0], fields: ['customfield_10011'] },
      { name: 'Suggest a feature', description: 'Ideas to make the product better.', issueTypeId: '10001', groups: [0], fields: ['customfield_10012'] },
      { name: 'Billing issue', description: 'Invoices, refunds and subscription changes.', issueTypeId: '10001', groups: [1], fields: ['customfield_10010', 'customfield_10015'] },
    ],
    subjects: ['Dashboard', 'Export to CSV', 'Mobile app', 'Login page', 'Subscription', 'API token', 'Search', 'Notification email'],
    problems: ['returns an error', 'is slow to load', 'shows wrong data', 'does not send emails', 'was charged twice', 'feature request'],
    articles: [
      ['Getting started', 'Create your first project and invite your team in five minutes.'],
      ['Exporting data', 'Export any list to CSV or Excel from the actions menu.'],
      ['Managing your subscription', 'Change plans, update billing details and download invoices.'],
      ['Troubleshooting login problems', 'Clear cookies or reset your password if you cannot sign in.'],
    ],
  },
};

/** The hidden request type JSM creates for mail channels; no portal group, so hidden in the portal. */
export const EMAIL_REQUEST_TYPE: ThemeRequestType = {
  name: 'Emailed request',
  description: 'Request received from your email support channel.',
  issueTypeId: '10001',
  groups: [],
  fields: [],
};
