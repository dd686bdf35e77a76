import type { ProcedureDecl } from '../../src/catalog/types.ts';
import { extension, input, output } from './params.ts';

export const AddAttachment: ProcedureDecl = {
  name: 'AddAttachment',
  description: 'Creates a temporary attachment or assigns a temporary one to a request.',
  params: [
    input('RequestId', false, 'Set this to the request Id.'),
    input('RequestKey', false, 'Set this to the request Key.'),
    input('AttachmentId', true, 'Set this to the temporary attachment Id.'),
    input('Public', false, 'Set this to specify if the attachment will be public or internal.'),
    input('AdditionalComment', false, 'Set this to the body of the comment.'),
  ],
  result: [output('Success', 'The result of the procedure.')],
};

export const AttachTemporaryFile: ProcedureDecl = {
  name: 'AttachTemporaryFile',
  description:
    'This method adds one or more temporary attachments to a service desk, which can then be permanently attached to a customer request using AddAttachment stored procedure.',
  params: [
    input('Source', false, 'The path of the file.'),
    // The seed's connector uploads to the desk of its ServiceDeskID property and reads files only;
    // these let a call name the desk and pass the content itself (no file on the gateway's host).
    extension('ServiceDeskId', 'The ID of the service desk the file is uploaded to; defaults to the ServiceDeskID connection property.'),
    extension('Content', "The file's content, instead of Source: bytea, e.g. decode('aGVsbG8=', 'base64'), or a bytea parameter.", 'bytea'),
    extension('FileName', 'The name of the uploaded file; defaults to the file name of Source (required with Content).'),
  ],
  result: [output('TemporaryAttachmentId', 'The ID of the temporary attachment.'), output('FileName', 'The file name.')],
};
