import { Alert } from '../shared/components';

/** What became of the record just kept: saved, recorded, a possible duplicate, refused, not kept. */
export type Notice =
  | { kind: 'saved'; key: string; name: string }
  | { kind: 'recorded'; key: string; name: string }
  | { kind: 'duplicate'; key: string; name: string }
  | { kind: 'rejected'; key: string; name: string; reason: string }
  | { kind: 'unsaved'; key: string; name: string };

export function NoticeView({ notice }: { notice: Notice }) {
  switch (notice.kind) {
    case 'saved':
      return (
        <Alert kind="info">
          {notice.name} is saved on this device
          {navigator.onLine ? ' and being sent.' : ' and will be sent when the connection returns.'}
        </Alert>
      );
    case 'recorded':
      return <Alert kind="success">Recorded: {notice.name}.</Alert>;
    case 'duplicate':
      return (
        <Alert kind="warning">
          <strong>Possible duplicate:</strong> {notice.name} matches a signer already recorded for this
          petition. The record is kept and marked as a duplicate for the organizers to review.
        </Alert>
      );
    case 'unsaved':
      return (
        <Alert kind="error">
          {notice.name} could not be kept on this device (its storage may be full). The record is back in the
          form: try again, or free some space.
        </Alert>
      );
    case 'rejected':
      return (
        <Alert kind="error">
          {notice.name} was not accepted: {notice.reason} It is listed under “Needs fixing”.
        </Alert>
      );
  }
}
