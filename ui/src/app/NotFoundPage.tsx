import { Link } from "react-router";
import { PageHeader } from "@/components/Page";
import { EmptyState } from "@/components/EmptyState";

export default function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState title="There is no page at this address">
        Check the address, or start from <Link to="/data">the data page</Link>.
      </EmptyState>
    </>
  );
}
