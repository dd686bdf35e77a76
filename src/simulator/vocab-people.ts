/** Word material for people, organizations and conversations. */

export const FIRST_NAMES = [
  'Ava', 'Ben', 'Chloe', 'Daniel', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kemi', 'Liam',
  'Maya', 'Noah', 'Olga', 'Priya', 'Quentin', 'Rosa', 'Samir', 'Tara', 'Umar', 'Vera', 'Wei', 'Ximena',
  'Yusuf', 'Zoe', 'Aaron', 'Bianca', 'Carlos', 'Dana', 'Emil', 'Fatima', 'Gustav', 'Hana', 'Igor', 'Julia',
];

export const LAST_NAMES = [
  'Anderson', 'Becker', 'Castillo', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Hoffmann', 'Ivanova', 'Jensen',
  'Kowalski', 'Laurent', 'Moreau', 'Nakamura', 'Okafor', 'Petrov', 'Quinn', 'Rossi', 'Schmidt', 'Tanaka',
  'Ueda', 'Vargas', 'Weber', 'Xu', 'Yilmaz', 'Zimmermann', 'Brennan', 'Costa', 'Duarte', 'Engel',
];

export const TIME_ZONES = [
  'Europe/Berlin', 'Europe/London', 'Europe/Paris', 'America/New_York', 'America/Chicago',
  'America/Los_Angeles', 'Asia/Tokyo', 'Asia/Singapore', 'Australia/Sydney', 'UTC',
];

export const LOCALES = ['en_US', 'en_GB', 'de_DE', 'fr_FR', 'ja_JP'];

export const ORGANIZATION_NAMES = [
  'Acme Corporation', 'Globex', 'Initech', 'Umbrella Retail', 'Stark Logistics', 'Wayne Enterprises',
  'Hooli', 'Vandelay Industries', 'Soylent Foods', 'Tyrell Systems', 'Cyberdyne Labs', 'Wonka Confectionery',
  'Oceanic Airlines', 'Massive Dynamic', 'Pied Piper', 'Dunder Mifflin', 'Gringotts Finance', 'Monarch Solutions',
];

export const ORGANIZATION_SUFFIXES = ['', ' EMEA', ' APAC', ' Americas', ' Holding', ' Labs'];

export const DESCRIPTIONS = [
  'This started this morning and affects my daily work.',
  'It worked fine last week. Nothing changed on my side as far as I know.',
  'Please see the details below and let me know if you need anything else.',
  'Several people in my team are affected.',
  'This is needed before the end of the month.',
  'I tried restarting, but the problem comes back after a few minutes.',
];

export const AGENT_REPLIES = [
  'Thanks for reaching out. We are looking into this now.',
  'Could you send a screenshot of the error message?',
  'We applied a fix. Please check on your side and let us know.',
  'This has been scheduled for tomorrow morning.',
  'We need a bit more information: which location are you working from?',
  'The request has been approved and is being processed.',
];

export const CUSTOMER_REPLIES = [
  'Thanks, that worked!',
  'I still see the same problem today.',
  'Attached the screenshot as requested.',
  'Any update on this?',
  'I am working from the main office this week.',
  'Great, thank you for the quick help.',
];

export const INTERNAL_NOTES = [
  'Escalating to the second-level team.',
  'Known issue, linked to the ongoing problem record.',
  'Waiting on the vendor to respond.',
  'Customer is a VIP, please prioritise.',
  'Checked the logs: the job failed at 02:00.',
  'Approval chain confirmed with the budget owner.',
];

export const APPROVAL_NAMES = ['Manager approval', 'Budget approval', 'Security review', 'Approve this request'];

export const ATTACHMENT_FILES: Array<[name: string, mime: string]> = [
  ['screenshot.png', 'image/png'],
  ['error-log.txt', 'text/plain'],
  ['invoice.pdf', 'application/pdf'],
  ['photo.jpg', 'image/jpeg'],
  ['details.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
];
