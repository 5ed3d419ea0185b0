import { RoleplayCall } from './RoleplayCall';

/** A server component: it renders on the server, and the call lives in the client component below it. */
export default function Page() {
  return (
    <main>
      <h1>Sales practice</h1>
      <RoleplayCall drillKey="ma-full-sale" />
    </main>
  );
}
